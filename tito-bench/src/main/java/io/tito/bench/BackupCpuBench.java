package io.tito.bench;

import io.tito.backup.BackupOptions;
import io.tito.backup.Backups;
import io.tito.backup.Compression;
import io.tito.backup.LocalDirectoryStorage;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.EngineTransaction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * CPU of full backups alone (zstd, default parallelism), one after the other on the same RocksDB
 * store, nothing else in the process: the process's CPU and the scanning thread's CPU per backup.
 * {@link BackupBench} runs restores between its backups, whose leftover work (garbage collection of
 * their buffers) lands in the next backup's process CPU. Usage: {@code bin/run-bench
 * io.tito.bench.BackupCpuBench [keys=300000] [rounds=10]}.
 */
public final class BackupCpuBench {

  private BackupCpuBench() {}

  public static void main(String[] args) throws Exception {
    int keys = 300_000;
    int rounds = 10;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "keys" -> keys = Integer.parseInt(kv[1]);
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Path work = Files.createTempDirectory("tito-backup-cpu");
    System.out.printf("load average at start: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    List<String> process = new ArrayList<>();
    List<String> scanning = new ArrayList<>();
    try (RocksDbEngine engine = RocksDbEngine.open(work.resolve("source"))) {
      Random random = new Random(42);
      byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{}:,\" "
          .getBytes(StandardCharsets.US_ASCII);
      for (int from = 0; from < keys; from += 5000) {
        try (EngineTransaction tx = engine.begin(false)) {
          for (int i = from; i < Math.min(keys, from + 5000); i++) {
            byte[] v = new byte[200];
            for (int j = 0; j < v.length; j++) {
              v[j] = alphabet[random.nextInt(alphabet.length)];
            }
            tx.set(String.format("key/%010d", i).getBytes(StandardCharsets.US_ASCII), v);
          }
          tx.commit();
        }
      }
      for (int r = 0; r < rounds; r++) {
        Backups b = Backups.of(LocalDirectoryStorage.in(work.resolve("backup-" + r)),
            BackupOptions.defaults().withCompression(Compression.ZSTD));
        long p0 = os.getProcessCpuTime();
        long t0 = threads.getCurrentThreadCpuTime();
        b.full(engine);
        process.add(String.format(Locale.ROOT, "%.2f", (os.getProcessCpuTime() - p0) / 1e9));
        scanning.add(String.format(Locale.ROOT, "%.3f", (threads.getCurrentThreadCpuTime() - t0) / 1e9));
        b.releaseHold(engine);
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.println("process CPU s per backup: " + process);
    System.out.println("scanning thread CPU s per backup: " + scanning);
    System.out.printf("load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
  }
}
