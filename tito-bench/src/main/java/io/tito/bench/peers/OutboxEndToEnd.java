package io.tito.bench.peers;

import io.tito.bench.peers.OutboxSystems.GruelboxOutbox;
import io.tito.bench.peers.OutboxSystems.OutboxSystem;
import io.tito.bench.peers.OutboxSystems.SkipLockedOutbox;
import io.tito.bench.peers.OutboxSystems.TitoOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 2, outbox end to end: events published in committed transactions (one event per
 * transaction, ~100 bytes carrying the event's index) and consumed by one consumer group. Tito
 * on RocksDB and on PostgreSQL (each with a per-event and a batch handler) against gruelbox
 * transaction-outbox and a hand-written outbox table drained with {@code SELECT ... FOR UPDATE
 * SKIP LOCKED}, both on the same local PostgreSQL; see {@link OutboxSystems} for how each is set
 * up. Every system runs in a fresh directory or PostgreSQL schema and is closed afterwards.
 *
 * <p>Each system runs two phases, after its consumer is ready:
 *
 * <ol>
 *   <li>Throughput: {@value #PRODUCERS} producer threads publish the phase's events as fast as
 *       they can while the group consumes. Events per second = events ÷ (time from the first
 *       publish until the handler first saw the last of them).
 *   <li>Latency: one thread publishes at a fixed pace of one event every {@value #PACE_MICROS}
 *       µs (never catching up in bursts if it falls behind): a warm-up, then the measured
 *       events. Commit-to-handler latency = {@code System.nanoTime()} when the handler first sees
 *       the event minus {@code System.nanoTime()} right after the producer's commit returned;
 *       handlers that start before the producer's commit call returns count as 0 (and are
 *       counted). This scenario found that with RocksDB's default durability {@code group} a
 *       commit used to be visible to the group's readers before the write-ahead log sync it
 *       waited for (handlers started up to one fsync early); since the fix, readers wait for the
 *       sync, which wakes the producer and the readers together, so a handler can still start a
 *       few microseconds before the producer's thread takes its timestamp.
 * </ol>
 *
 * <p>Every handler call is counted per event index. Delivery is at least once, so duplicates are
 * allowed and reported; a system that never handled some event within {@value #STALL_SECONDS} s
 * of its last progress fails the run with {@link IllegalStateException}.
 */
public final class OutboxEndToEnd {

  /** The systems, in table order. */
  static final List<String> SYSTEMS = List.of("tito-rocksdb", "tito-rocksdb-batch",
      "tito-postgresql", "tito-postgresql-batch", "gruelbox", "skip-locked");

  /** The rows other rows are compared to. */
  static final String ROCKSDB_REFERENCE = "tito-rocksdb";
  static final String POSTGRESQL_REFERENCE = "tito-postgresql";

  static final int PRODUCERS = 4;

  /** Producer threads of the throughput phase ({@code OutboxPostgresRows producers=N}). */
  static volatile int producers = PRODUCERS;
  static final long PACE_MICROS = 2_000;
  static final long STALL_SECONDS = 60;

  /**
   * One system's figures: {@code throughputEvents} in the throughput phase at {@code perSecond};
   * {@code latencies} of {@code latencyEvents} paced events after {@code warmup}; {@code
   * published} events in all, {@code handled} of them seen at least once, {@code duplicates}
   * extra handler calls; {@code early} of the measured latency events were first handled before
   * the producer's commit call returned.
   */
  public record Outcome(String system, int throughputEvents, double perSecond, int warmup,
      int latencyEvents, long published, long handled, long duplicates, Latencies latencies,
      int early) {}

  private OutboxEndToEnd() {}

  /**
   * Runs every system: {@code rocksdbEvents} or {@code postgresqlEvents} in the throughput phase,
   * {@code latencyEvents} measured in the latency phase. {@code dir} is a scratch directory that
   * receives one subdirectory per RocksDB system.
   */
  public static List<Outcome> run(Path dir, int rocksdbEvents, int postgresqlEvents,
      int latencyEvents) throws Exception {
    int warmup = Math.max(20, latencyEvents / 5);
    List<Outcome> out = new ArrayList<>();
    for (String system : SYSTEMS) {
      int events = system.startsWith("tito-rocksdb") ? rocksdbEvents : postgresqlEvents;
      out.add(runOne(system, dir, events, warmup, latencyEvents));
    }
    return out;
  }

  static Outcome runOne(String system, Path dir, int events, int warmup, int latencyEvents)
      throws Exception {
    int total = events + warmup + latencyEvents;
    Tracker tracker = new Tracker(total);
    double perSecond;
    try (PgSchema schema = system.startsWith("tito-rocksdb") || system.startsWith("tito-mariadb")
            ? null : PgSchema.create("bench_s2_");
        OutboxSystem s = open(system, dir, schema)) {
      s.start(tracker);
      long start = System.nanoTime();
      publishConcurrently(s, tracker, events);
      tracker.await(system, events);
      perSecond = events / ((tracker.lastFirstSeen(0, events) - start) / 1e9);
      publishPaced(s, tracker, events, warmup + latencyEvents);
      tracker.await(system, total);
    }
    Latencies latencies = new Latencies();
    int early = 0;
    for (int i = events + warmup; i < total; i++) {
      long nanos = tracker.firstSeen.get(i) - tracker.committed[i];
      latencies.recordNanos(nanos);
      early += nanos < 0 ? 1 : 0;
    }
    long handled = tracker.distinct.get();
    if (handled != total) {
      throw new IllegalStateException(system + " handled " + handled + " of " + total + " events");
    }
    return new Outcome(system, events, perSecond, warmup, latencyEvents, total, handled,
        tracker.duplicates(), latencies, early);
  }

  static OutboxSystem open(String system, Path dir, PgSchema schema) throws Exception {
    return switch (system) {
      case "tito-rocksdb", "tito-rocksdb-batch" -> TitoOutbox.rocksdb(
          Files.createDirectories(dir.resolve("outbox-" + system)), system.endsWith("-batch"));
      case "tito-rocksdb-relaxed" -> TitoOutbox.rocksdb(
          Files.createDirectories(dir.resolve("outbox-" + system)), false, "none");
      case "tito-postgresql", "tito-postgresql-batch" ->
          TitoOutbox.postgresql(schema, system.endsWith("-batch"));
      case "tito-mariadb", "tito-mariadb-batch" -> TitoOutbox.mariadb(system.endsWith("-batch"));
      case "gruelbox" -> new GruelboxOutbox(schema);
      case "skip-locked" -> new SkipLockedOutbox(schema);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  /** Publishes events {@code 0 .. events-1} from {@link #producers} threads. */
  private static void publishConcurrently(OutboxSystem s, Tracker tracker, int events)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    int threads = producers;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        fs.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
            s.publish(i);
            tracker.committed[i] = System.nanoTime();
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        try {
          f.get();
        } catch (ExecutionException e) {
          next.set(events);
          throw e.getCause() instanceof Exception c ? c : e;
        }
      }
    }
  }

  /** Publishes {@code count} events from {@code first} on, one every {@value #PACE_MICROS} µs. */
  private static void publishPaced(OutboxSystem s, Tracker tracker, int first, int count)
      throws Exception {
    long interval = TimeUnit.MICROSECONDS.toNanos(PACE_MICROS);
    long due = System.nanoTime();
    for (int i = first; i < first + count; i++) {
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      s.publish(i);
      long now = System.nanoTime();
      tracker.committed[i] = now;
      due = Math.max(due + interval, now);
    }
  }

  /** Per-event commit times and handler calls. */
  static final class Tracker implements OutboxSystems.Sink {
    final long[] committed;
    final AtomicLongArray firstSeen;
    final AtomicIntegerArray calls;
    final AtomicInteger distinct = new AtomicInteger();

    Tracker(int events) {
      committed = new long[events];
      firstSeen = new AtomicLongArray(events);
      calls = new AtomicIntegerArray(events);
    }

    @Override
    public void handled(int index) {
      long now = System.nanoTime();
      if (calls.getAndIncrement(index) == 0) {
        firstSeen.set(index, now);
        distinct.incrementAndGet();
      }
    }

    /** Waits until {@code count} distinct events were handled; fails after a long stall. */
    void await(String system, int count) throws InterruptedException {
      int seen = distinct.get();
      long progress = System.nanoTime();
      while (seen < count) {
        Thread.sleep(1);
        int now = distinct.get();
        if (now != seen) {
          seen = now;
          progress = System.nanoTime();
        } else if (System.nanoTime() - progress > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
          throw new IllegalStateException(String.format(
              "%s stalled: %d of %d events handled, none for %d s", system, seen, count,
              STALL_SECONDS));
        }
      }
    }

    long lastFirstSeen(int from, int to) {
      long last = Long.MIN_VALUE;
      for (int i = from; i < to; i++) {
        last = Math.max(last, firstSeen.get(i));
      }
      return last;
    }

    long duplicates() {
      long n = 0;
      for (int i = 0; i < calls.length(); i++) {
        n += Math.max(0, calls.get(i) - 1);
      }
      return n;
    }
  }

  /** Labels for the table. */
  static String label(String system) {
    return switch (system) {
      case "tito-rocksdb" -> "Tito on RocksDB (durability group), per-event handler";
      case "tito-rocksdb-batch" -> "Tito on RocksDB (durability group), batch handler";
      case "tito-rocksdb-relaxed" -> "Tito on RocksDB (durability none), per-event handler";
      case "tito-postgresql" -> "Tito on PostgreSQL, per-event handler";
      case "tito-postgresql-batch" -> "Tito on PostgreSQL, batch handler";
      case "tito-mariadb" -> "Tito on MariaDB, per-event handler";
      case "tito-mariadb-batch" -> "Tito on MariaDB, batch handler";
      case "gruelbox" -> "gruelbox transaction-outbox 4.2 on PostgreSQL, "
          + OutboxSystems.GRUELBOX_THREADS + " threads";
      case "skip-locked" -> "plain JDBC outbox, SKIP LOCKED, "
          + OutboxSystems.SKIP_LOCKED_CONSUMERS + " consumers, "
          + OutboxSystems.SKIP_LOCKED_POLL_MS + " ms idle poll";
      default -> system;
    };
  }
}
