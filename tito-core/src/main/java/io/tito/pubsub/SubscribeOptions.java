package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one {@linkplain Topics#subscribe worker}. Build with {@link #builder()}; every
 * setting is validated at {@link Builder#build()}. Immutable.
 *
 * @param start where a new group starts; default {@link StartPosition#EARLIEST}
 * @param maxAttempts attempts per event before it is dead-lettered; default 10
 * @param initialBackoff delay before the second attempt; doubles per attempt; default 100 ms
 * @param maxBackoff cap of the retry delay; default 30 s. Each delay is jittered to between half
 *     and all of its value.
 * @param concurrency handlers this worker runs at once, across its partitions; default 16
 * @param fetchSize events read per partition per read transaction; default 64
 * @param pollInterval longest an idle partition waits before looking again when no wake-up
 *     arrives; default 1 s
 * @param heartbeatInterval how often the worker renews its membership and leases and rebalances;
 *     default 1 s
 * @param leaseTimeout how long a membership or lease stays valid without renewal (a dead worker's
 *     partitions move after this); default 10 s; must exceed twice the heartbeat interval
 * @param shutdownTimeout what {@link Subscription#close()} waits for in-flight handlers; default 30 s
 * @param retentionInterval how often the worker deletes retained-out events of the partitions it
 *     owns; default 1 min
 */
public record SubscribeOptions(StartPosition start, int maxAttempts, Duration initialBackoff,
    Duration maxBackoff, int concurrency, int fetchSize, Duration pollInterval,
    Duration heartbeatInterval, Duration leaseTimeout, Duration shutdownTimeout,
    Duration retentionInterval) {

  /** Every default. */
  public static final SubscribeOptions DEFAULTS = builder().build();

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.start = start;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.concurrency = concurrency;
    b.fetchSize = fetchSize;
    b.pollInterval = pollInterval;
    b.heartbeatInterval = heartbeatInterval;
    b.leaseTimeout = leaseTimeout;
    b.shutdownTimeout = shutdownTimeout;
    b.retentionInterval = retentionInterval;
    return b;
  }

  /** Builder of {@link SubscribeOptions}; not thread-safe. */
  public static final class Builder {
    private StartPosition start = StartPosition.EARLIEST;
    private int maxAttempts = 10;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int concurrency = 16;
    private int fetchSize = 64;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration leaseTimeout = Duration.ofSeconds(10);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration retentionInterval = Duration.ofMinutes(1);

    private Builder() {}

    /** Where a new group starts; default {@link StartPosition#EARLIEST}. */
    public Builder start(StartPosition v) { start = v; return this; }
    /** Attempts per event before dead-lettering, at least 1; default 10. */
    public Builder maxAttempts(int v) { maxAttempts = v; return this; }
    /** First retry delay (doubling per attempt) and its cap; default 100 ms and 30 s. */
    public Builder backoff(Duration initial, Duration max) { initialBackoff = initial; maxBackoff = max; return this; }
    /** Handlers running at once in this worker; default 16. */
    public Builder concurrency(int v) { concurrency = v; return this; }
    /** Events read per partition per read, and the largest batch; default 64. */
    public Builder fetchSize(int v) { fetchSize = v; return this; }
    /** Longest idle wait without a wake-up; default 1 s. */
    public Builder pollInterval(Duration v) { pollInterval = v; return this; }
    /** Membership and lease renewal period; default 1 s. */
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
    /** Validity of memberships and leases without renewal; default 10 s. */
    public Builder leaseTimeout(Duration v) { leaseTimeout = v; return this; }
    /** What {@link Subscription#close()} waits for in-flight handlers; default 30 s. */
    public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
    /** How often the worker applies retention to its partitions; default 1 min. */
    public Builder retentionInterval(Duration v) { retentionInterval = v; return this; }

    /** @throws InvalidArgumentException if a setting is null, not positive, or inconsistent */
    public SubscribeOptions build() {
      boolean ok = start != null && maxAttempts >= 1 && concurrency >= 1 && fetchSize >= 1
          && positive(initialBackoff) && positive(maxBackoff) && maxBackoff.compareTo(initialBackoff) >= 0
          && positive(pollInterval) && positive(heartbeatInterval) && positive(leaseTimeout)
          && shutdownTimeout != null && !shutdownTimeout.isNegative() && positive(retentionInterval)
          && leaseTimeout.compareTo(heartbeatInterval.multipliedBy(2)) > 0;
      if (!ok) {
        throw new InvalidArgumentException("invalid subscribe options", Map.of("maxAttempts", maxAttempts,
            "concurrency", concurrency, "fetchSize", fetchSize, "heartbeatInterval",
            String.valueOf(heartbeatInterval), "leaseTimeout", String.valueOf(leaseTimeout)));
      }
      return new SubscribeOptions(start, maxAttempts, initialBackoff, maxBackoff, concurrency,
          fetchSize, pollInterval, heartbeatInterval, leaseTimeout, shutdownTimeout, retentionInterval);
    }

    private static boolean positive(Duration d) {
      return d != null && !d.isNegative() && !d.isZero();
    }
  }
}
