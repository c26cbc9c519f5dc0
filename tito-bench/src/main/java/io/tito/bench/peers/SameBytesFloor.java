package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The relaxed embedded write against two raw RocksDB floors, one thread, in alternated rounds:
 * <ul>
 *   <li><b>same bytes</b>: the write batches Tito itself logged (read back from its write-ahead
 *       log by {@link WalBatches}) written again, one {@code db.write} each, into a fresh database
 *       with the same two column families. Afterwards every key and value of both families must
 *       equal Tito's store, or the run fails: this floor writes exactly Tito's bytes and nothing
 *       else, so the ratio is the cost of Tito's own work (encoding, reads that check uniqueness,
 *       conflict bookkeeping, positions) on top of RocksDB's write of its batch;</li>
 *   <li><b>four puts</b>: {@link WriteSystems.RawRocksWrite}, the scenario's original floor (the
 *       record, two index entries and the bare payload in one family: fewer and shorter keys).</li>
 * </ul>
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.peers.SameBytesFloor [tx=20000] [warmup=20000]
 * [rounds=3] [dir=...]}. Durability is {@code none} for Tito and {@code sync=false} for both floors
 * (the log is written, not synced). Prints per round the writer thread's CPU µs and wall µs per
 * transaction of each, the batches' mean size, Tito's heap allocation per transaction, and the
 * ratios floor ÷ Tito (1.0 = at the floor); then the medians.
 */
public final class SameBytesFloor {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    RocksDB.loadLibrary();
  }

  private SameBytesFloor() {}

  /** CPU and wall microseconds per transaction of one timed loop. */
  record Cost(double cpuMicros, double wallMicros) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // Every batch Tito wrote must stay in its log files to be read back: no reused logs (they are
    // overwritten). The bytes of each batch are the same either way.
    System.setProperty("tito.rocksdb.recycledWalFiles", "0");
    Map<String, String> s = BenchArgs.parse(args);
    int tx = Integer.parseInt(s.getOrDefault("tx", "20000"));
    int warmup = Integer.parseInt(s.getOrDefault("warmup", "20000"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "3"));
    Path parent = Paths.get(s.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
    Path dir = Files.createTempDirectory(parent, "tito-same-bytes");
    List<double[]> ratios = new ArrayList<>();
    System.out.printf(Locale.ROOT, "%-5s %-11s %10s %10s %12s %10s%n", "round", "system",
        "cpu us/tx", "wall us/tx", "bytes/batch", "puts/batch");
    for (int r = 0; r < rounds; r++) {
      Cost raw = null;
      if (r % 2 == 1) {
        raw = fourPuts(dir.resolve(r + "-raw"), tx, warmup, r);
      }
      Path titoDir = dir.resolve(r + "-tito");
      Cost tito = tito(titoDir, tx, warmup);
      List<byte[]> batches = WalBatches.read(titoDir);
      if (batches.size() < tx + warmup) {
        throw new IllegalStateException("Tito's log holds " + batches.size()
            + " batches, fewer than the " + (tx + warmup) + " transactions run");
      }
      List<byte[]> timed = batches.subList(batches.size() - tx, batches.size());
      print(r, "tito", tito, meanBytes(timed), meanPuts(timed));
      Cost same = replay(dir.resolve(r + "-same"), batches, tx, titoDir);
      print(r, "same bytes", same, meanBytes(timed), meanPuts(timed));
      if (raw == null) {
        raw = fourPuts(dir.resolve(r + "-raw"), tx, warmup, r);
      }
      ratios.add(new double[] {same.cpuMicros() / tito.cpuMicros(),
          same.wallMicros() / tito.wallMicros(), raw.cpuMicros() / tito.cpuMicros(),
          raw.wallMicros() / tito.wallMicros()});
      System.out.printf(Locale.ROOT,
          "round %d: same-bytes floor / Tito = %.2f by CPU, %.2f by wall; four-put floor / Tito ="
              + " %.2f by CPU, %.2f by wall%n", r, ratios.get(r)[0], ratios.get(r)[1],
          ratios.get(r)[2], ratios.get(r)[3]);
    }
    System.out.printf(Locale.ROOT,
        "median: same-bytes floor / Tito = %.2f by CPU, %.2f by wall; four-put floor / Tito ="
            + " %.2f by CPU, %.2f by wall%n", median(ratios, 0), median(ratios, 1),
        median(ratios, 2), median(ratios, 3));
  }

  private static Cost tito(Path dir, int tx, int warmup) throws Exception {
    try (WriteSystems.TitoWrite t = new WriteSystems.TitoWrite(dir, "none")) {
      long i = 0;
      for (; i < warmup; i++) {
        t.write(i);
      }
      long cpu = THREADS.getCurrentThreadCpuTime();
      long allocated = THREADS.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      for (long end = i + tx; i < end; i++) {
        t.write(i);
      }
      Cost c = cost(cpu, start, tx);
      System.out.printf(Locale.ROOT, "tito allocated %d bytes per transaction on the heap%n",
          (THREADS.getCurrentThreadAllocatedBytes() - allocated) / tx);
      return c;
    }
  }

  private static Cost fourPuts(Path dir, int tx, int warmup, int round) throws Exception {
    try (WriteSystems.RawRocksWrite w = new WriteSystems.RawRocksWrite(dir, false)) {
      long i = 0;
      for (; i < warmup; i++) {
        w.write(i);
      }
      long cpu = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (long end = i + tx; i < end; i++) {
        w.write(i);
      }
      Cost c = cost(cpu, start, tx);
      if (w.records() != i || w.events() != i) {
        throw new IllegalStateException("four-put floor stored a different count");
      }
      print(round, "four puts", c, -1, 4);
      return c;
    }
  }

  /** Writes every batch again into a fresh database, timing the last {@code tx}, then compares. */
  private static Cost replay(Path dir, List<byte[]> batches, int tx, Path titoDir)
      throws Exception {
    Files.createDirectories(dir);
    try (Db db = Db.open(dir, false); WriteOptions wo = new WriteOptions().setSync(false)) {
      int untimed = batches.size() - tx;
      for (int i = 0; i < untimed; i++) {
        try (WriteBatch b = new WriteBatch(batches.get(i))) {
          db.db.write(wo, b);
        }
      }
      long cpu = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (int i = untimed; i < batches.size(); i++) {
        try (WriteBatch b = new WriteBatch(batches.get(i))) {
          db.db.write(wo, b);
        }
      }
      Cost c = cost(cpu, start, tx);
      try (Db original = Db.open(titoDir, true)) {
        for (int f = 0; f < 2; f++) {
          long n = compare(original, db, f);
          if (n == 0) {
            throw new IllegalStateException("family " + f + " is empty: nothing was compared");
          }
        }
      }
      return c;
    }
  }

  /** Compares one family of both databases entry by entry; returns the entries compared. */
  private static long compare(Db a, Db b, int family) {
    long n = 0;
    try (RocksIterator x = a.db.newIterator(a.families.get(family));
        RocksIterator y = b.db.newIterator(b.families.get(family))) {
      x.seekToFirst();
      y.seekToFirst();
      for (; x.isValid() && y.isValid(); x.next(), y.next(), n++) {
        if (!Arrays.equals(x.key(), y.key()) || !Arrays.equals(x.value(), y.value())) {
          throw new IllegalStateException("same-bytes floor differs from Tito's store in family "
              + family + " at entry " + n);
        }
      }
      if (x.isValid() || y.isValid()) {
        throw new IllegalStateException("same-bytes floor and Tito's store differ in length in"
            + " family " + family + " after " + n + " entries");
      }
    }
    return n;
  }

  /** A database with Tito's two column families (default, {@code tito-meta}). */
  private record Db(RocksDB db, List<ColumnFamilyHandle> families, DBOptions options,
      ColumnFamilyOptions familyOptions) implements AutoCloseable {
    static Db open(Path dir, boolean readOnly) throws RocksDBException {
      DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      ColumnFamilyOptions f = new ColumnFamilyOptions();
      List<ColumnFamilyDescriptor> d = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, f),
          new ColumnFamilyDescriptor("tito-meta".getBytes(java.nio.charset.StandardCharsets.US_ASCII), f));
      List<ColumnFamilyHandle> h = new ArrayList<>();
      RocksDB db = readOnly ? RocksDB.openReadOnly(o, dir.toString(), d, h)
          : RocksDB.open(o, dir.toString(), d, h);
      return new Db(db, h, o, f);
    }

    @Override
    public void close() {
      families.forEach(ColumnFamilyHandle::close);
      db.close();
      familyOptions.close();
      options.close();
    }
  }

  private static Cost cost(long cpuStart, long wallStart, int tx) {
    return new Cost((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e3 / tx,
        (System.nanoTime() - wallStart) / 1e3 / tx);
  }

  private static double meanBytes(List<byte[]> batches) {
    return batches.stream().mapToInt(b -> b.length).average().orElse(0);
  }

  private static double meanPuts(List<byte[]> batches) {
    return batches.stream().mapToInt(WalBatches::count).average().orElse(0);
  }

  private static void print(int round, String system, Cost c, double bytes, double puts) {
    System.out.printf(Locale.ROOT, "%-5d %-11s %10.1f %10.1f %12s %10.1f%n", round, system,
        c.cpuMicros(), c.wallMicros(), bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes),
        puts);
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
