package io.tito;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told, always in UTC: pass it wherever Tito takes a {@link Clock}
 * (data-layer timestamps, pub/sub due times, retries, leases, retention) to test time without
 * waiting. Thread-safe.
 */
public final class ManualClock extends Clock {

  private final AtomicReference<Instant> now;

  /** A clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Moves the clock forward (or back, with a negative duration). */
  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
