package io.tito.bench.peers;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.Snapshot;

/**
 * The cost of RocksJava's point reads alone, no Tito: a plain {@code get} of a present and of an
 * absent key, {@code keyMayExist} before them, and two-key shapes (an insert reads an absent record
 * key and the present table header), on a memtable of 200,000 keys with Tito's read tuning. Prints
 * the median over 5 rounds of the calling thread's CPU time per operation. Run with
 * {@code bin/run-bench io.tito.bench.peers.RocksReadCosts [ops]} (default 200,000 per row and round).
 */
public final class RocksReadCosts {

  private RocksReadCosts() {}

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("tito-read-costs");
    BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false))
        .setWholeKeyFiltering(true).setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
        .setDataBlockHashTableUtilRatio(0.75).setBlockCache(new LRUCache(64L << 20));
    try (Options options = new Options().setCreateIfMissing(true).setTableFormatConfig(table)
            .setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(0.05);
        RocksDB db = RocksDB.open(options, dir.toString())) {
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        db.put(b("present-key-number-" + i), b("value-of-the-key-" + i + "-padding-padding-padding"));
      }
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
        byte[][] present = new byte[1000][];
        byte[][] absent = new byte[1000][];
        for (int i = 0; i < 1000; i++) {
          present[i] = b("present-key-number-" + (i * 131 % n));
          absent[i] = b("absent-key-number-" + i);
        }
        String[] names = {"get, present key", "get, absent key", "keyMayExist then get, present key",
            "keyMayExist (then get), absent key", "multiGetAsList of absent + present",
            "get absent + get present", "keyMayExist absent + get present"};
        int rounds = 5;
        double[][] micros = new double[names.length][rounds];
        long sink = 0;
        for (int round = -1; round < rounds; round++) {
          for (int k = 0; k < names.length; k++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
              byte[] p = present[i % 1000];
              byte[] a = absent[i % 1000];
              sink += switch (k) {
                case 0 -> db.get(ro, p).length;
                case 1 -> db.get(ro, a) == null ? 1 : 0;
                case 2 -> db.keyMayExist(ro, p, null) ? db.get(ro, p).length : 0;
                case 3 -> db.keyMayExist(ro, a, null) && db.get(ro, a) != null ? 1 : 0;
                case 4 -> db.multiGetAsList(ro, List.of(a, p)).size();
                case 5 -> (db.get(ro, a) == null ? 1 : 0) + db.get(ro, p).length;
                default -> (db.keyMayExist(ro, a, null) && db.get(ro, a) != null ? 1 : 0)
                    + db.get(ro, p).length;
              };
            }
            if (round >= 0) {
              micros[k][round] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / ops;
            }
          }
        }
        for (int k = 0; k < names.length; k++) {
          double[] v = micros[k].clone();
          Arrays.sort(v);
          System.out.printf(Locale.ROOT, "| %s | %.2f |%n", names[k], v[rounds / 2]);
        }
        System.out.println(sink == 42 ? "" : "(checksum " + sink + ")");
      } finally {
        db.releaseSnapshot(snapshot);
      }
    } finally {
      PeerBench.delete(dir);
    }
  }
}
