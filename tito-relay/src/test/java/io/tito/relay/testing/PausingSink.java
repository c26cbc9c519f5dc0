package io.tito.relay.testing;

import io.tito.pubsub.Event;
import io.tito.relay.RelaySink;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes batches to a real sink; after the {@code pauseAfter}-th acknowledged one, holds every
 * later call before it sends until {@link #resume()}, and counts the calls that fail.
 */
final class PausingSink implements RelaySink {

  private final RelaySink delegate;
  private final int pauseAfter;
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final CountDownLatch paused = new CountDownLatch(1);
  private final CountDownLatch resumed = new CountDownLatch(1);

  PausingSink(RelaySink delegate, int pauseAfter) {
    this.delegate = delegate;
    this.pauseAfter = pauseAfter;
  }

  @Override
  public void send(List<Event> batch) throws Exception {
    if (paused.getCount() == 0) {
      resumed.await();
    }
    try {
      delegate.send(batch);
    } catch (Exception e) {
      failures.incrementAndGet();
      throw e;
    }
    if (acknowledged.incrementAndGet() == pauseAfter) {
      paused.countDown();
    }
  }

  boolean awaitPause(long seconds) throws InterruptedException {
    return paused.await(seconds, TimeUnit.SECONDS);
  }

  void resume() {
    resumed.countDown();
  }

  int failures() {
    return failures.get();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
