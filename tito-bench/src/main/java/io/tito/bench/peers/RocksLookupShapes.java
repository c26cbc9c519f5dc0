package io.tito.bench.peers;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.HyperClockCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The cost of RocksDB's cached point lookups alone, no Tito, under table and read option shapes:
 * {@code n} keys shaped like Tito's record keys (a short prefix and a big-endian id) with ~200-byte
 * values, loaded and compacted into one store per shape; then 50 random present keys per
 * {@code multiGetAsList} and single {@code get}s, the shapes alternating within each round. Prints
 * the median over the rounds of the calling thread's CPU time per 50-key batch and per get. Run with
 * {@code bin/run-bench io.tito.bench.peers.RocksLookupShapes n=100000 rounds=7 batches=2000
 * shapes=base,hits,...}.
 */
public final class RocksLookupShapes {

  private RocksLookupShapes() {}

  /** The shapes measured: Tito's read tuning ({@code base}) and one change each. */
  static final List<String> ALL = List.of("base", "hits", "nochecksum", "cacheidx", "nofilter",
      "restart4", "block16k", "fv5", "nocompress");

  static Options options(String shape) {
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setWholeKeyFiltering(true)
        .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
        .setDataBlockHashTableUtilRatio(0.75)
        .setBlockCache(new HyperClockCache(256L << 20, 0, -1, false));
    if (!shape.equals("nofilter")) {
      table.setFilterPolicy(new BloomFilter(10, false));
    }
    if (shape.equals("cacheidx")) {
      table.setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true)
          .setPinTopLevelIndexAndFilter(true);
    }
    if (shape.equals("restart4")) {
      table.setIndexBlockRestartInterval(4);
    }
    if (shape.equals("block16k")) {
      table.setBlockSize(16 * 1024);
    }
    if (shape.equals("fv5")) {
      table.setFormatVersion(5);
    }
    Options o = new Options().setCreateIfMissing(true).setTableFormatConfig(table)
        .setCompressionType(shape.equals("nocompress") ? CompressionType.NO_COMPRESSION
            : CompressionType.LZ4_COMPRESSION)
        .setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(0.05);
    if (shape.equals("hits")) {
      o.setOptimizeFiltersForHits(true);
    }
    return o;
  }

  static byte[] key(long id) {
    return ByteBuffer.allocate(12).putInt(0x15_02_03_04).putLong(id ^ Long.MIN_VALUE).array();
  }

  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    java.util.Map<String, String> a = io.tito.bench.BenchArgs.parse(args);
    int n = Integer.parseInt(a.getOrDefault("n", "100000"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "7"));
    int batches = Integer.parseInt(a.getOrDefault("batches", "2000"));
    List<String> shapes = List.of(a.getOrDefault("shapes", String.join(",", ALL)).split(","));
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("tito-lookup-shapes");
    List<RocksDB> dbs = new ArrayList<>();
    byte[] value = new byte[200];
    new SplittableRandom(1).nextBytes(value);
    for (String shape : shapes) {
      RocksDB db = RocksDB.open(options(shape), dir.resolve(shape).toString());
      try (WriteOptions wo = new WriteOptions().setDisableWAL(true)) {
        for (int i = 0; i < n; i += 1000) {
          try (WriteBatch b = new WriteBatch()) {
            for (int j = i; j < Math.min(n, i + 1000); j++) {
              value[0] = (byte) j;
              b.put(key(j), value);
            }
            db.write(wo, b);
          }
        }
      }
      db.compactRange();
      dbs.add(db);
    }
    double[][] batch = new double[shapes.size()][rounds];
    double[][] single = new double[shapes.size()][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int s = 0; s < shapes.size(); s++) {
        RocksDB db = dbs.get(s);
        Snapshot snap = db.getSnapshot();
        try (ReadOptions ro = new ReadOptions().setSnapshot(snap)) {
          if (shapes.get(s).equals("nochecksum")) {
            ro.setVerifyChecksums(false);
          }
          SplittableRandom random = new SplittableRandom(r);
          List<byte[]> keys = new ArrayList<>(50);
          long sum = 0;
          long t0 = threads.getCurrentThreadCpuTime();
          for (int b = 0; b < batches; b++) {
            keys.clear();
            for (int k = 0; k < 50; k++) {
              keys.add(key(random.nextInt(n)));
            }
            for (byte[] v : db.multiGetAsList(ro, keys)) {
              sum += v[0];
            }
          }
          long t1 = threads.getCurrentThreadCpuTime();
          for (int b = 0; b < batches * 50; b++) {
            sum += db.get(ro, key(random.nextInt(n)))[0];
          }
          long t2 = threads.getCurrentThreadCpuTime();
          batch[s][r] = (t1 - t0) / 1e3 / batches;
          single[s][r] = (t2 - t1) / 1e3 / batches / 50;
          if (sum == 42) {
            System.out.print("");
          }
        } finally {
          db.releaseSnapshot(snap);
        }
      }
    }
    System.out.printf(Locale.ROOT, "n=%,d rounds=%d batches=%d load %s%n", n, rounds, batches,
        Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf(Locale.ROOT, "%-12s %14s %12s%n", "shape", "50 keys µs", "get µs");
    for (int s = 0; s < shapes.size(); s++) {
      Arrays.sort(batch[s]);
      Arrays.sort(single[s]);
      System.out.printf(Locale.ROOT, "%-12s %14.1f %12.2f   (batch rounds %s)%n", shapes.get(s),
          batch[s][rounds / 2], single[s][rounds / 2], Arrays.toString(round1(batch[s])));
    }
    for (RocksDB db : dbs) {
      db.close();
    }
  }

  private static String[] round1(double[] v) {
    String[] out = new String[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = String.format(Locale.ROOT, "%.0f", v[i]);
    }
    return out;
  }
}
