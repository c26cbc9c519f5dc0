package io.tito.relay.testing;

import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.Relay;

import io.tito.pubsub.Event;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the calls of a sink and how many of them threw. */
final class CountingSink implements RelaySink {

  private final RelaySink delegate;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile Throwable lastFailure;

  CountingSink(RelaySink delegate) {
    this.delegate = delegate;
  }

  @Override
  public void send(List<Event> batch) throws Exception {
    calls.incrementAndGet();
    try {
      delegate.send(batch);
    } catch (Exception | Error e) {
      failures.incrementAndGet();
      lastFailure = e;
      throw e;
    }
  }

  int calls() {
    return calls.get();
  }

  int failures() {
    return failures.get();
  }

  Throwable lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
