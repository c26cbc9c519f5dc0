package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one {@linkplain Topics#subscribe worker}. Build with {@link #builder()}. Every
 * setting is validated when the record is constructed (by the builder or directly). Immutable.
 *
 * @param start where a new group starts; default {@link StartPosition#EARLIEST}
 * @param maxAttempts attempts per event before it is dead-lettered; default 10. Only the
 *     handler's failures count (what it throws, or a timeout), never the store's: a commit that
 *     fails because of conflicts or storage trouble is retried without counting.
 * @param initialBackoff delay before the second attempt; doubles per attempt; default 100 ms
 * @param maxBackoff cap of the retry delay; default 30 s. Each delay is jittered to between half
 *     and all of its value (see {@link #backoff()}).
 * @param concurrency handlers this worker runs at once, across its partitions; default 16
 * @param fetchSize events read per partition per read transaction; default 64
 * @param pollInterval longest an idle partition waits before looking again when no wake-up
 *     arrives; default 1 s
 * @param heartbeatInterval how often the worker renews its membership and leases and rebalances;
 *     default 2 s (a lease is rewritten once less than half the lease timeout plus a heartbeat is
 *     left: every other heartbeat with the defaults; a new or departed worker is noticed within a
 *     heartbeat)
 * @param leaseTimeout how long a membership or lease stays valid without renewal (a dead worker's
 *     partitions move after this); default 10 s; must exceed twice the heartbeat interval
 * @param shutdownTimeout what {@link Subscription#close()} waits for in-flight handlers; default 30 s
 * @param retentionInterval how often the worker deletes retained-out events of the partitions it
 *     owns; default 1 min
 * @param handlerTimeout how long one handler call (one event, or one batch) may run; default
 *     {@link #DEFAULT_HANDLER_TIMEOUT} (5 min). After it the attempt counts as failed, the
 *     handler's thread is interrupted and the partition goes on (retry after backoff, or dead
 *     letter). For a transactional handler it covers the whole transaction, commit included, and
 *     an attempt given up on does not commit. A handler that ignores interrupts keeps running,
 *     possibly alongside the retry of the same event (at-least-once), and no longer holds one of
 *     the {@code concurrency} permits. A timed-out batch is not counted; its events are handed
 *     over one at a time. The timeout is checked by a timer, so it costs nothing per event but a
 *     timer entry. A very long duration (e.g. {@code
 *     ChronoUnit.FOREVER.getDuration()}) turns the timeout off.
 * @param checkpointEvery for a plain per-event handler (not a batch nor a transactional one): the
 *     most successfully handled events of one partition whose checkpoint is committed together,
 *     in one transaction (one sync or WAL flush); default {@link #DEFAULT_CHECKPOINT_EVERY}. 1
 *     commits after every event, as a transactional handler does. See {@link #checkpointDelay}.
 * @param checkpointDelay for a plain per-event handler: how long the first of the handled events
 *     not yet checkpointed may wait for its checkpoint; default {@link #DEFAULT_CHECKPOINT_DELAY}.
 *     The handled events of a partition are checkpointed together once they number {@code
 *     checkpointEvery}, once this delay has passed since the first of them was handled (checked
 *     after each handler call and while the partition waits for events: a handler call that is
 *     still running delays it), before a failure or dead letter is recorded (the events handled
 *     before it are checkpointed first, in a transaction of their own), and when the worker
 *     releases the partition or closes. Delivery stays at-least-once and in order: a crash, or a
 *     lease lost to another worker, delivers again the handled events not yet checkpointed, at
 *     most {@code checkpointEvery} per partition, and never skips one. A worker that lost its
 *     lease commits none of them (the checkpoint commit is fenced like every other). The
 *     checkpoint that {@link Topics#lag lag} and status read trails the handler by at most as
 *     much.
 */
public record SubscribeOptions(StartPosition start, int maxAttempts, Duration initialBackoff,
    Duration maxBackoff, int concurrency, int fetchSize, Duration pollInterval,
    Duration heartbeatInterval, Duration leaseTimeout, Duration shutdownTimeout,
    Duration retentionInterval, Duration handlerTimeout, int checkpointEvery,
    Duration checkpointDelay) {

  /**
   * Default of {@link #checkpointEvery}: 64 (the default fetch size: every event of a fetch that
   * is handled within the delay shares one checkpoint commit, one sync or WAL flush).
   */
  public static final int DEFAULT_CHECKPOINT_EVERY = 64;

  /**
   * Default of {@link #checkpointDelay}: 100 ms, short enough for the lag an operator reads to
   * stay current, long enough that fast handlers share their commits.
   */
  public static final Duration DEFAULT_CHECKPOINT_DELAY = Duration.ofMillis(100);

  /**
   * Default of {@link #handlerTimeout}: 5 minutes, like Kafka's {@code max.poll.interval.ms}.
   * Long enough for any handler that is working (a slower one sets its own), short enough that a
   * hung handler does not hold its partition for good.
   */
  public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofMinutes(5);

  /**
   * The settings before {@link #checkpointEvery} and {@link #checkpointDelay} existed, with those
   * two at their defaults; validated like the canonical constructor.
   */
  public SubscribeOptions(StartPosition start, int maxAttempts, Duration initialBackoff,
      Duration maxBackoff, int concurrency, int fetchSize, Duration pollInterval,
      Duration heartbeatInterval, Duration leaseTimeout, Duration shutdownTimeout,
      Duration retentionInterval, Duration handlerTimeout) {
    this(start, maxAttempts, initialBackoff, maxBackoff, concurrency, fetchSize, pollInterval,
        heartbeatInterval, leaseTimeout, shutdownTimeout, retentionInterval, handlerTimeout,
        DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_DELAY);
  }

  /**
   * Validates every setting.
   *
   * @throws InvalidArgumentException naming the first bad setting ({@code setting} in the
   *     context): null, not positive (a negative shutdown timeout), maxBackoff below
   *     initialBackoff, or a lease timeout not above twice the heartbeat interval
   */
  public SubscribeOptions {
    require(start != null, "start", start);
    require(maxAttempts >= 1, "maxAttempts", maxAttempts);
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new InvalidArgumentException("maxBackoff must not be below initialBackoff",
          Map.of("setting", "maxBackoff", "maxBackoff", maxBackoff, "initialBackoff", initialBackoff));
    }
    require(concurrency >= 1, "concurrency", concurrency);
    require(fetchSize >= 1, "fetchSize", fetchSize);
    requirePositive(pollInterval, "pollInterval");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(leaseTimeout, "leaseTimeout");
    if (leaseTimeout.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
      throw new InvalidArgumentException("leaseTimeout must exceed twice the heartbeatInterval",
          Map.of("setting", "leaseTimeout", "leaseTimeout", leaseTimeout,
              "heartbeatInterval", heartbeatInterval));
    }
    require(shutdownTimeout != null && !shutdownTimeout.isNegative(), "shutdownTimeout",
        shutdownTimeout);
    requirePositive(retentionInterval, "retentionInterval");
    requirePositive(handlerTimeout, "handlerTimeout");
    require(checkpointEvery >= 1, "checkpointEvery", checkpointEvery);
    requirePositive(checkpointDelay, "checkpointDelay");
  }

  private static void require(boolean ok, String setting, Object value) {
    if (!ok) {
      throw new InvalidArgumentException(value == null ? "subscribe option must not be null"
          : "subscribe option out of range", Map.of("setting", setting, "value", String.valueOf(value)));
    }
  }

  private static void requirePositive(Duration d, String setting) {
    require(d != null && d.isPositive(), setting, d);
  }

  /**
   * The backoff between a handler's failed attempts of one event: {@link
   * io.tito.Backoff.Jitter#EQUAL equal jitter} (between half and all of the ceiling) from
   * {@code initialBackoff} doubling up to {@code maxBackoff}.
   */
  public io.tito.Backoff backoff() {
    return new io.tito.Backoff(initialBackoff, maxBackoff, io.tito.Backoff.Jitter.EQUAL);
  }

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
    b.handlerTimeout = handlerTimeout;
    b.checkpointEvery = checkpointEvery;
    b.checkpointDelay = checkpointDelay;
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
    private Duration heartbeatInterval = Duration.ofSeconds(2);
    private Duration leaseTimeout = Duration.ofSeconds(10);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration retentionInterval = Duration.ofMinutes(1);
    private Duration handlerTimeout = DEFAULT_HANDLER_TIMEOUT;
    private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
    private Duration checkpointDelay = DEFAULT_CHECKPOINT_DELAY;

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
    /** Membership and lease renewal period; default 2 s. */
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
    /** Validity of memberships and leases without renewal; default 10 s. */
    public Builder leaseTimeout(Duration v) { leaseTimeout = v; return this; }
    /** What {@link Subscription#close()} waits for in-flight handlers; default 30 s. */
    public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
    /** How often the worker applies retention to its partitions; default 1 min. */
    public Builder retentionInterval(Duration v) { retentionInterval = v; return this; }
    /**
     * How long one handler call may run before it counts as failed and is interrupted; default
     * 5 min. See {@link SubscribeOptions#handlerTimeout()} for the caveats.
     */
    public Builder handlerTimeout(Duration v) { handlerTimeout = v; return this; }
    /**
     * How a plain per-event handler's checkpoint commits are shared: at most {@code events}
     * handled events per commit, the first of them waiting at most {@code delay}; default 64 and
     * 100 ms; {@code (1, any)} commits after every event. A crash redelivers at most that many
     * handled events per partition; see {@link SubscribeOptions#checkpointDelay()}.
     */
    public Builder checkpointEvery(int events, Duration delay) {
      checkpointEvery = events;
      checkpointDelay = delay;
      return this;
    }

    /** @throws InvalidArgumentException naming the first bad setting (see the record's constructor) */
    public SubscribeOptions build() {
      return new SubscribeOptions(start, maxAttempts, initialBackoff, maxBackoff, concurrency,
          fetchSize, pollInterval, heartbeatInterval, leaseTimeout, shutdownTimeout,
          retentionInterval, handlerTimeout, checkpointEvery, checkpointDelay);
    }
  }
}
