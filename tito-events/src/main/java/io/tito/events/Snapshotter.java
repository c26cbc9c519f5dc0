package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.internal.events.EventKeys;
import io.tito.tuple.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots in the background for one {@link AggregateRepository}: every commit of the
 * repository that did not snapshot inline queues its stream; a pass takes up to {@linkplain
 * Builder#batchSize batch size} queued streams and snapshots those whose tail (events after their
 * latest snapshot) reached the {@linkplain Builder#threshold threshold}, each in its own
 * transaction, and drops them from the queue (a later commit queues them again). Streams appended
 * to without the repository are not queued.
 *
 * <p>{@link #runOnce()}, {@link #runUntilIdle()} run on the caller's thread; {@link #start()}
 * runs passes forever on a thread of its own, sleeping {@linkplain Builder#idleInterval the idle
 * interval} when the queue is empty, until {@link #close()}. Thread-safe.
 */
public final class Snapshotter<S> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);

  private final AggregateRepository<S> repository;
  private final EventKeys keys;
  private final long threshold;
  private final int batchSize;
  private final Duration idleInterval;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private Thread thread;
  private boolean closed;

  private Snapshotter(Builder<S> b) {
    this.repository = b.repository;
    this.keys = repository.store().keys();
    this.threshold = b.threshold;
    this.batchSize = b.batchSize;
    this.idleInterval = b.idleInterval;
  }

  /** A snapshotter for {@code repository}. */
  public static <S> Builder<S> builder(AggregateRepository<S> repository) {
    return new Builder<>(repository);
  }

  /**
   * One pass over at most a batch of queued streams.
   *
   * @return the number of queued streams processed (0: the queue was empty)
   */
  public int runOnce() {
    String aggregate = repository.aggregate().name();
    List<String> streams = repository.store().tito().read(tx -> {
      List<String> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(keys.dueRange(aggregate), new ScanOptions(false, batchSize))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          out.add(keys.dueStream(kv.key()));
        }
      }
      return out;
    });
    for (String stream : streams) {
      repository.store().tito().inTransaction(tx -> process(tx, aggregate, stream));
    }
    return streams.size();
  }

  /**
   * Runs passes until one finds the queue empty.
   *
   * @return the number of queued streams processed
   */
  public long runUntilIdle() {
    long total = 0;
    int n;
    while ((n = runOnce()) > 0) {
      total += n;
    }
    return total;
  }

  /**
   * Starts passes on a background thread until {@link #close()}; failures are logged and the
   * next pass runs after the idle interval.
   *
   * @throws InvalidArgumentException if already started or closed
   */
  public void start() {
    lock.lock();
    try {
      if (thread != null || closed) {
        throw new InvalidArgumentException("snapshotter already started or closed", Map.of());
      }
      thread = Thread.ofPlatform().daemon().name("tito-snapshotter-" + repository.aggregate().name())
          .start(this::loop);
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      int n = 0;
      try {
        n = runOnce();
      } catch (RuntimeException e) {
        log.warn("snapshot pass failed (aggregate={})", repository.aggregate().name(), e);
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
        if (n == 0) {
          wake.await(idleInterval.toNanos(), TimeUnit.NANOSECONDS);
          if (closed) {
            return;
          }
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  private void process(Transaction tx, String aggregate, String stream) {
    byte[] dueKey = keys.due(aggregate, stream);
    if (tx.get(dueKey) == null) {
      return;
    }
    Loaded<S> loaded;
    try {
      loaded = repository.load(tx, stream);
    } catch (StreamDeletedException e) {
      tx.clear(dueKey);
      tx.clear(keys.snapshot(aggregate, stream));
      return;
    }
    if (loaded.version() - loaded.snapshotVersion() >= threshold) {
      repository.writeSnapshot(tx, stream, loaded.state(), loaded.version());
    }
    tx.clear(dueKey);
  }

  /** Stops the background thread (if started) and waits for its pass to end. Idempotent. */
  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      wake.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Settings of a {@link Snapshotter}. Not thread-safe. */
  public static final class Builder<S> {
    private final AggregateRepository<S> repository;
    private long threshold = 100;
    private int batchSize = 100;
    private Duration idleInterval = Duration.ofSeconds(1);

    private Builder(AggregateRepository<S> repository) {
      if (repository == null) {
        throw new InvalidArgumentException("repository must not be null", Map.of());
      }
      this.repository = repository;
    }

    /** Snapshot a stream once this many events follow its latest snapshot (default 100, at least 1). */
    public Builder<S> threshold(long value) {
      if (value < 1) {
        throw new InvalidArgumentException("setting threshold must be at least 1", Map.of("setting", "threshold"));
      }
      this.threshold = value;
      return this;
    }

    /** Queued streams per pass (default 100, 1 to 10000). */
    public Builder<S> batchSize(int value) {
      if (value < 1 || value > 10_000) {
        throw new InvalidArgumentException("setting batchSize must be 1 to 10000", Map.of("setting", "batchSize"));
      }
      this.batchSize = value;
      return this;
    }

    /** Pause between passes of {@link #start()} when the queue is empty (default 1 s, positive). */
    public Builder<S> idleInterval(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new InvalidArgumentException("setting idleInterval must be positive", Map.of("setting", "idleInterval"));
      }
      this.idleInterval = value;
      return this;
    }

    public Snapshotter<S> build() {
      return new Snapshotter<>(this);
    }
  }
}
