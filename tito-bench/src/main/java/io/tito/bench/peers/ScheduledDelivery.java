package io.tito.bench.peers;

import io.tito.bench.peers.ScheduledSystems.DbSchedulerScheduled;
import io.tito.bench.peers.ScheduledSystems.Recorder;
import io.tito.bench.peers.ScheduledSystems.ScheduledSystem;
import io.tito.bench.peers.ScheduledSystems.TitoScheduled;
import io.tito.bench.CountingSocketFactory;
import io.tito.pubsub.SubscribeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 3, scheduled delivery: {@code events} events due evenly across a {@code window} (due
 * time of event i: {@code B + i * window / events}), scheduled in due order in batches of {@value
 * #BATCH} per transaction or call, while each system's consumer is already running. The window
 * starts {@code B = start + lead} after scheduling starts; the lead (1 s + 60 µs per event at
 * first, or the system property {@code tito.scheduled.leadMillis}) is long enough when every event
 * was committed before it fell due. If not, the run is
 * repeated in a fresh store with a lead of 1.5 × the measured scheduling time + 1 s (twice at
 * most; then it fails).
 *
 * <p>Lateness of an event = wall-clock time its handler starts (batch handlers: the batch's start)
 * minus its due time, in microseconds. Reported: p50, p99 and max, the time from the window's
 * start until the last first handling, handled and duplicate deliveries, and scheduling rate.
 * Every event must be handled at least once and none before its due time, or the run fails with
 * {@link IllegalStateException}. With {@code -Dtito.scheduled.buckets=true} each run also prints
 * its lateness per 100 ms of due time ({@link LatenessBuckets}), to find when late events were late.
 *
 * <p>Warm-up (off by default: the figures are a cold process's): with {@code
 * -Dtito.scheduled.warmupEvents=W} each system, once open, first schedules W events of its own
 * (indices after the measured ones, same topic or task) due evenly across {@code
 * tito.scheduled.warmupMillis} (default 2,000 ms) starting 1 s + 60 µs per event later, and waits
 * until it has handled all of them; then the measured run starts as without. Warm-up events are
 * left out of every figure (lateness, handled, duplicates, early, round trips). It is applied the
 * same way to every system the harness runs, and shows a process that has been delivering
 * before the window opens (compiled code, connections that have run every statement), as a
 * long-running service would be.
 *
 * <p>Systems ({@link #SYSTEMS}): Tito on PostgreSQL with a batch handler (the documented fast
 * path), Tito on MariaDB with a batch handler (in a fresh database of the local server), Tito on
 * RocksDB (default durability, group) with a batch handler, and db-scheduler on
 * the same PostgreSQL (settings in {@link DbSchedulerScheduled}). Tito runs with its defaults: a
 * topic of 8 partitions, {@link #TITO_OPTIONS}, a JDBC pool of 10. Every system runs in a fresh
 * PostgreSQL schema or directory. Tito on PostgreSQL with a single-event handler ({@link #EXTRA})
 * is not in the harness's run: it commits a checkpoint per event, about 1,000 per second on a
 * 2-core machine, so 100,000 events take minutes; run it alone through {@link #main}.
 *
 * <p>This scenario found a starvation bug (fixed since, with a regression test in {@code
 * ConsumeTest}): a partition's runner that saw a due event released due events into the log and
 * started its loop over without handling what it had fetched, so while events kept falling due
 * faster than one fetch-and-release round per partition, nothing was handled until the window's
 * end (p50 lateness of seconds at 10,000 events/s).
 */
public final class ScheduledDelivery {

  /** The systems, in table order; Tito on PostgreSQL (the ratio's reference) first. */
  static final List<String> SYSTEMS = List.of("tito-pg-batch", "tito-maria-batch",
      "tito-rocksdb-batch", "db-scheduler");

  /** Systems that {@link #main} can run besides {@link #SYSTEMS}. */
  static final List<String> EXTRA = List.of("tito-pg-single");

  /** Events per scheduling transaction (Tito) or {@code scheduleBatch} call (db-scheduler). */
  static final int BATCH = 500;

  /** Tito's subscription settings: the defaults (8 partitions, fetch size 64, poll 1 s). */
  static final SubscribeOptions TITO_OPTIONS = SubscribeOptions.DEFAULTS;

  /**
   * One system's figures.
   *
   * @param scheduledPerSecond events scheduled per second (all before the window)
   * @param leadSeconds the window's start after scheduling began
   * @param scheduledLate events committed after their due time (0 in a valid run)
   * @param lateness per-event lateness of the first handling
   * @param lastSeconds from the window's start until the last event's first handling
   * @param handled deliveries, duplicates included
   * @param duplicates deliveries beyond the first
   * @param early first deliveries before the due time (0, or the run fails)
   */
  public record Outcome(String system, int events, double windowSeconds,
      double scheduledPerSecond, double leadSeconds, long scheduledLate, Latencies lateness,
      double lastSeconds, long handled, long duplicates, long early) {}

  private ScheduledDelivery() {}

  /**
   * Runs this scenario alone: {@code bin/run-bench io.tito.bench.peers.ScheduledDelivery [events]
   * [window seconds] [system,system...]} (default 10,000 across 10 s, {@link #SYSTEMS}; the first
   * system is the ratio's reference) and prints its table.
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    List<String> systems = args.length > 2 ? List.of(args[2].split(",")) : SYSTEMS;
    Path dir = Files.createTempDirectory("tito-scheduled");
    try {
      System.out.println(PeerBench.scheduledTable(run(dir, events, window, systems)));
    } finally {
      PeerBench.delete(dir);
    }
  }

  /** Runs every system; {@code dir} is a scratch directory for the RocksDB store. */
  public static List<Outcome> run(Path dir, int events, Duration window) throws Exception {
    return run(dir, events, window, SYSTEMS);
  }

  /** Runs {@code systems} (names from {@link #SYSTEMS} or {@link #EXTRA}) in order. */
  public static List<Outcome> run(Path dir, int events, Duration window, List<String> systems)
      throws Exception {
    List<Outcome> out = new ArrayList<>();
    for (String system : systems) {
      out.add(runSystem(system, dir, events, window));
    }
    return out;
  }

  static ScheduledSystem open(String system, Path dir, Recorder recorder) throws Exception {
    return switch (system) {
      case "tito-pg-batch" -> TitoScheduled.postgres(true, TITO_OPTIONS, recorder);
      case "tito-pg-single" -> TitoScheduled.postgres(false, TITO_OPTIONS, recorder);
      case "tito-maria-batch" -> TitoScheduled.mariadb(true, TITO_OPTIONS, recorder);
      case "tito-rocksdb-batch" ->
          TitoScheduled.rocksdb(Files.createDirectories(dir), true, TITO_OPTIONS, recorder);
      case "db-scheduler" -> new DbSchedulerScheduled(recorder);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  /** Labels for the table. */
  static String label(String system) {
    return switch (system) {
      case "tito-pg-batch" -> "Tito on PostgreSQL, batch handler";
      case "tito-pg-single" -> "Tito on PostgreSQL, single-event handler";
      case "tito-maria-batch" -> "Tito on MariaDB, batch handler";
      case "tito-rocksdb-batch" -> "Tito on RocksDB, batch handler";
      case "db-scheduler" -> "db-scheduler 16.12 on PostgreSQL";
      default -> system;
    };
  }

  /**
   * The first lead: the system property {@code tito.scheduled.leadMillis} if set (a lead longer
   * than scheduling takes, so that runs compared with each other all deliver after scheduling
   * ended), else 1 s + 60 µs per event.
   */
  static long firstLeadMicros(int events) {
    String v = System.getProperty("tito.scheduled.leadMillis");
    return v != null ? Long.parseLong(v) * 1_000L : 1_000_000L + 60L * events;
  }

  /** Warm-up events per system (system property {@code tito.scheduled.warmupEvents}, default 0). */
  static int warmupEvents() {
    return Integer.getInteger("tito.scheduled.warmupEvents", 0);
  }

  /**
   * Schedules the warm-up events (indices {@code events} on) due across {@code
   * tito.scheduled.warmupMillis} from 1 s + 60 µs per event on, and waits until each was handled.
   */
  static void warmUp(ScheduledSystem s, Recorder r, int events, int warm) throws Exception {
    long windowMicros = Long.getLong("tito.scheduled.warmupMillis", 2_000L) * 1_000L;
    long base = ScheduledSystems.nowMicros() + 1_000_000L + 60L * warm;
    for (int j = 0; j < warm; j++) {
      r.due[events + j] = base + j * windowMicros / warm;
    }
    for (int from = events; from < events + warm; from += BATCH) {
      s.schedule(from, Math.min(events + warm, from + BATCH));
    }
    long deadline = base + windowMicros + 60_000_000L;
    while (r.distinct() < warm && ScheduledSystems.nowMicros() < deadline) {
      Thread.sleep(5);
    }
    if (r.distinct() < warm) {
      throw new IllegalStateException("warm-up handled " + r.distinct() + " of " + warm);
    }
  }

  static Outcome runSystem(String system, Path dir, int events, Duration window)
      throws Exception {
    long windowMicros = window.toNanos() / 1_000;
    long leadMicros = firstLeadMicros(events);
    int warm = warmupEvents();
    for (int attempt = 1; ; attempt++) {
      Recorder r = new Recorder(events + warm);
      long scheduledLate = 0;
      double scheduleSeconds;
      long base;
      try (ScheduledSystem s = open(system, dir.resolve(system + "-" + attempt), r)) {
        if (warm > 0) {
          warmUp(s, r, events, warm);
        }
        long start = ScheduledSystems.nowMicros();
        base = start + leadMicros;
        for (int i = 0; i < events; i++) {
          r.due[i] = base + i * windowMicros / events;
        }
        long t0 = System.nanoTime();
        for (int from = 0; from < events; from += BATCH) {
          int to = Math.min(events, from + BATCH);
          s.schedule(from, to);
          long committed = ScheduledSystems.nowMicros();
          for (int i = from; i < to && r.due[i] <= committed; i++) {
            scheduledLate++;
          }
        }
        scheduleSeconds = (System.nanoTime() - t0) / 1e9;
        if (scheduledLate > 0 && attempt < 3) {
          leadMicros = Math.max(2 * leadMicros, (long) (scheduleSeconds * 1.5e6) + 1_000_000L);
          continue;
        }
        long deadline = base + windowMicros + Math.max(60_000_000L, 2 * windowMicros);
        long trips = CountingSocketFactory.FLUSHES.get();
        while (r.distinct() < events + warm && ScheduledSystems.nowMicros() < deadline) {
          Thread.sleep(5);
        }
        if (!ScheduledSystems.COUNTING.isEmpty()) {
          trips = CountingSocketFactory.FLUSHES.get() - trips;
          System.out.printf("%s: %,d round trips from the end of scheduling until every event"
              + " was handled, %.3f per event%n", system, trips, trips / (double) events);
        }
      }
      if (Boolean.getBoolean("tito.scheduled.buckets")) {
        LatenessBuckets.print(system, r, base, events);
      }
      return outcome(system, r, events, window, base, leadMicros, scheduleSeconds, scheduledLate);
    }
  }

  private static Outcome outcome(String system, Recorder r, int events, Duration window,
      long base, long leadMicros, double scheduleSeconds, long scheduledLate) {
    Latencies lateness = new Latencies();
    long handled = 0;
    long missing = 0;
    long early = 0;
    long last = base;
    for (int i = 0; i < events; i++) {
      int n = r.deliveries.get(i);
      handled += n;
      if (n == 0) {
        missing++;
        continue;
      }
      long late = r.firstAt[i] - r.due[i];
      if (late < 0) {
        early++;
      }
      lateness.recordMicros(late);
      last = Math.max(last, r.firstAt[i]);
    }
    if (missing > 0) {
      throw new IllegalStateException(String.format(
          "%s handled %d of %d scheduled events", system, events - missing, events));
    }
    if (early > 0) {
      throw new IllegalStateException(String.format(
          "%s delivered %d of %d events before their due time", system, early, events));
    }
    if (scheduledLate > 0) {
      throw new IllegalStateException(String.format(
          "%s: %d events committed after their due time even with a lead of %d ms",
          system, scheduledLate, leadMicros / 1_000));
    }
    return new Outcome(system, events, window.toNanos() / 1e9, events / scheduleSeconds,
        leadMicros / 1e6, scheduledLate, lateness, (last - base) / 1e6, handled, handled - events,
        early);
  }
}
