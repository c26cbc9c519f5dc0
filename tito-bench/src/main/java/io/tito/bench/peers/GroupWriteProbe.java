package io.tito.bench.peers;

import io.tito.bench.peers.WriteSystems.TitoWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * GroupCommitBench's Tito write alone (no SQLite or outbox), for profiling and counting system
 * calls per transaction. Arguments {@code key=value}: {@code threads=4 tx=3000 warmup=2000
 * durability=group floor=false steady=false dir=<fresh>}; {@code floor=true} first prints the machine's
 * fsync'd-append rate, as GroupCommitBench does. Prints transactions per second and the process
 * CPU (all threads, JIT compilers included) per timed transaction.
 *
 * <p>Run: {@code bin/run-bench io.tito.bench.peers.GroupWriteProbe threads=4 dir=/tmp/x}
 */
public final class GroupWriteProbe {

  private GroupWriteProbe() {}

  /** {syncs, gathers, gathers that ran out of time} of the store's group syncer so far. */
  private static long[] syncs(WriteSystems.WriteSystem w) throws Exception {
    io.tito.rocksdb.RocksDbEngine rocks =
        (io.tito.rocksdb.RocksDbEngine) ((TitoWrite) w).tito().engine();
    java.lang.reflect.Method count =
        io.tito.rocksdb.RocksDbEngine.class.getDeclaredMethod("backgroundSyncs");
    java.lang.reflect.Method gathers =
        io.tito.rocksdb.RocksDbEngine.class.getDeclaredMethod("gatherCounts");
    count.setAccessible(true);
    gathers.setAccessible(true);
    long[] g = (long[]) gathers.invoke(rocks);
    java.lang.reflect.Field f = io.tito.rocksdb.RocksDbEngine.class.getDeclaredField("syncer");
    f.setAccessible(true);
    Object syncer = f.get(rocks);
    java.lang.reflect.Field n = syncer.getClass().getDeclaredField("syncNanos");
    n.setAccessible(true);
    return new long[] {(Long) count.invoke(rocks), g[0], g[1], n.getLong(syncer)};
  }

  public static void main(String[] args) throws Exception {
    java.util.Map<String, String> s = io.tito.bench.BenchArgs.parse(args);
    int threads = Integer.parseInt(s.getOrDefault("threads", "4"));
    int tx = Integer.parseInt(s.getOrDefault("tx", "3000"));
    int warmup = Integer.parseInt(s.getOrDefault("warmup", "2000"));
    String durability = s.getOrDefault("durability", "group");
    Path dir = s.containsKey("dir") ? Path.of(s.get("dir")) : Files.createTempDirectory("tito-gwp-");
    Path sub = Files.createDirectories(dir.resolve("write-" + durability));
    if (Boolean.parseBoolean(s.getOrDefault("floor", "false"))) {
      MachineFloor.Outcome floor = MachineFloor.run(Files.createDirectories(dir.resolve("floor")), 3000, 16);
      System.out.printf(Locale.ROOT, "floor %,.0f appends/s%n", floor.appendsPerSecond());
    }
    var os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (WriteSystems.WriteSystem w = new TitoWrite(sub, durability)) {
      java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
      GroupCommitBench.run(w, threads, next, warmup);
      if (Boolean.parseBoolean(s.getOrDefault("steady", "false"))) {
        w.settle(); // as GroupCommitBench steady=true: timed writes go to a reused log
      }
      long[] before = syncs(w);
      long cpu = os.getProcessCpuTime();
      long start = System.nanoTime();
      GroupCommitBench.run(w, threads, next, warmup + tx);
      long wall = System.nanoTime() - start;
      cpu = os.getProcessCpuTime() - cpu;
      long[] after = syncs(w);
      long syncs = after[0] - before[0];
      System.out.printf(Locale.ROOT, "tito %s x%d %,.0f tx/s, process CPU %.1f us per tx,"
              + " %,d syncs (%.2f tx per sync, %.0f us per sync round), gathers %,d of which"
              + " ran out of time %,d, recent sync %.0f us%n",
          durability, threads, tx / (wall / 1e9), cpu / 1e3 / tx, syncs,
          syncs == 0 ? 0 : tx / (double) syncs, syncs == 0 ? 0 : wall / 1e3 / syncs,
          after[1] - before[1], after[2] - before[2], after[3] / 1e3);
    }
  }
}
