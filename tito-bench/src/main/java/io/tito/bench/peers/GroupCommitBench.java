package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import io.tito.bench.peers.WriteSystems.JdbcWrite;
import io.tito.bench.peers.WriteSystems.TitoWrite;
import io.tito.bench.peers.WriteSystems.WriteSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The durable figures of issue 17 in one short run, for before/after comparisons of group commit:
 * the machine's fsync'd-append rate (scenario 5), scenario 1's write with Tito at durability
 * {@code group} from {@code threads} threads beside SQLite {@code synchronous=FULL} (one thread;
 * SQLite serialises writers) and Tito {@code sync} (one thread), and scenario 2's outbox end to end
 * on RocksDB with the per-event handler.
 *
 * <p>Arguments {@code key=value}: {@code threads=4}, {@code tx=4000} timed transactions per write
 * figure (after {@code warmup=2000}), {@code events=20000} outbox events, {@code latency=1000}
 * paced events for commit-to-handler latency, {@code dir} (default: a fresh temporary directory),
 * {@code steady=false} (true: each write store is {@linkplain WriteSystem#settle settled} after
 * its warm-up, so the timed writes run on a store past its first memtable flush), {@code
 * relaxed=false} (true: the outbox runs again at durability {@code none}, which bounds what its
 * work between syncs allows on this machine's cores).
 * Each write system's records and events are counted afterwards, as in scenario 1. The floor is
 * read before the first phase and again after the last; ratios to the floor use their mean.
 *
 * <p>Run: {@code bin/run-bench io.tito.bench.peers.GroupCommitBench threads=4}
 */
public final class GroupCommitBench {

  private GroupCommitBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> s = BenchArgs.parse(args);
    int threads = Integer.parseInt(s.getOrDefault("threads", "4"));
    int tx = Integer.parseInt(s.getOrDefault("tx", "4000"));
    int warmup = Integer.parseInt(s.getOrDefault("warmup", "2000"));
    int events = Integer.parseInt(s.getOrDefault("events", "20000"));
    int latency = Integer.parseInt(s.getOrDefault("latency", "1000"));
    Path dir = s.containsKey("dir") ? Path.of(s.get("dir")) : Files.createTempDirectory("tito-gc-");
    boolean steady = Boolean.parseBoolean(s.getOrDefault("steady", "false"));

    MachineFloor.Outcome floor = MachineFloor.run(Files.createDirectories(dir.resolve("floor")), 3000, 16);
    double group = write(() -> new TitoWrite(sub(dir, "group"), "group"), threads, tx, warmup, steady);
    double sync = write(() -> new TitoWrite(sub(dir, "sync"), "sync"), 1, tx, warmup, steady);
    double sqlite = write(() -> sqlite(sub(dir, "sqlite")), 1, tx, warmup, steady);
    OutboxEndToEnd.Outcome outbox = OutboxEndToEnd.runOne("tito-rocksdb", dir, events,
        Math.max(20, latency / 5), latency);
    // The same outbox without syncs: what its work alone allows on this machine's cores.
    OutboxEndToEnd.Outcome relaxed = Boolean.parseBoolean(s.getOrDefault("relaxed", "false"))
        ? OutboxEndToEnd.runOne("tito-rocksdb-relaxed", dir, events, Math.max(20, latency / 5),
            latency)
        : null;
    MachineFloor.Outcome after = MachineFloor.run(Files.createDirectories(dir.resolve("floor-after")), 3000, 16);
    // A shared disk's rate moves within a minute: the ratios use the mean of both floor readings.
    double floorMean = (floor.appendsPerSecond() + after.appendsPerSecond()) / 2;
    System.out.printf(Locale.ROOT,
        "floor %,.0f / %,.0f appends/s (before / after) |%s tito group x%d %,.0f tx/s (%.2f of floor,"
            + " %.2f of sqlite) | tito sync x1 %,.0f | sqlite FULL x1 %,.0f | outbox %,.0f events/s"
            + " (%.2f of floor) latency %s ms, early %d%n",
        floor.appendsPerSecond(), after.appendsPerSecond(), steady ? " steady |" : "", threads,
        group, group / floorMean, group / sqlite, sync, sqlite, outbox.perSecond(),
        outbox.perSecond() / floorMean, outbox.latencies().summary(), outbox.early());
    if (relaxed != null) {
      System.out.printf(Locale.ROOT, "outbox without syncs (durability none) %,.0f events/s"
          + " (%.2f of floor)%n", relaxed.perSecond(), relaxed.perSecond() / floorMean);
    }
  }

  private static Path sub(Path dir, String name) {
    try {
      return Files.createDirectories(dir.resolve("write-" + name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static WriteSystem sqlite(Path dir) {
    try {
      return JdbcWrite.sqlite(dir, true);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Transactions per second of {@code tx} timed writes from {@code threads} threads. */
  static double write(Supplier<WriteSystem> open, int threads, int tx, int warmup) throws Exception {
    return write(open, threads, tx, warmup, false);
  }

  /** As above; {@code steady}: the store is settled after the warm-up. */
  static double write(Supplier<WriteSystem> open, int threads, int tx, int warmup, boolean steady)
      throws Exception {
    try (WriteSystem w = open.get()) {
      AtomicLong next = new AtomicLong();
      run(w, threads, next, warmup);
      if (steady) {
        w.settle();
      }
      long start = System.nanoTime();
      run(w, threads, next, warmup + tx);
      double perSecond = tx / ((System.nanoTime() - start) / 1e9);
      long expected = (long) warmup + tx;
      if (w.records() != expected || w.events() != expected) {
        throw new IllegalStateException("expected " + expected + " records and events, found "
            + w.records() + " and " + w.events());
      }
      return perSecond;
    }
  }

  static void run(WriteSystem w, int threads, AtomicLong next, long upTo) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (long i = next.getAndIncrement(); i < upTo; i = next.getAndIncrement()) {
            w.write(i);
          }
          next.set(upTo);
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      next.set(upTo);
    }
  }
}
