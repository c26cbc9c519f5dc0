package io.tito.relay.testing;

import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.Relay;

import io.tito.pubsub.Event;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes batches to a real sink until the {@code stallAfter}-th one was acknowledged, then holds
 * that batch's handler (the broker has the events, the checkpoint does not move) and every later
 * call before it sends, until interrupted: the moment a test crashes the relay in.
 */
final class StallingSink implements RelaySink {

  private final RelaySink delegate;
  private final int stallAfter;
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch never = new CountDownLatch(1);
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final Set<String> limbo = ConcurrentHashMap.newKeySet();

  StallingSink(RelaySink delegate, int stallAfter) {
    this.delegate = delegate;
    this.stallAfter = stallAfter;
  }

  @Override
  public void send(List<Event> batch) throws Exception {
    if (stalled.getCount() == 0) {
      never.await();
    }
    batch.forEach(e -> attempted.add(e.id().toString()));
    delegate.send(batch);
    if (acknowledged.incrementAndGet() == stallAfter) {
      batch.forEach(e -> limbo.add(e.id().toString()));
      stalled.countDown();
    }
    if (stalled.getCount() == 0) {
      never.await();
    }
  }

  /** Waits until the stall batch was acknowledged. */
  boolean awaitStall(long seconds) throws InterruptedException {
    return stalled.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Ids of every event handed to the real sink (acknowledged or not). */
  Set<String> attempted() {
    return Set.copyOf(attempted);
  }

  /** Ids of the stall batch: acknowledged by the broker, never checkpointed. */
  Set<String> limbo() {
    return Set.copyOf(limbo);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
