package io.tito.bench;

import io.tito.backup.BackupManifest;
import io.tito.backup.BackupOptions;
import io.tito.backup.Backups;
import io.tito.backup.Compression;
import io.tito.backup.LocalDirectoryStorage;
import io.tito.backup.RestorePoint;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.rocksdb.BackupEngine;
import org.rocksdb.BackupEngineOptions;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.RestoreOptions;
import org.rocksdb.RocksDB;

/**
 * Full backup and restore rates, side by side in one run: Tito's logical backup (tito-backup, gzip
 * chunks to a local directory) and restore into an empty store, against RocksDB's own
 * BackupEngine (physical: flush, copy SST files) and against pg_dump / pg_restore (custom format)
 * of the store's table on the local PostgreSQL. Rates are logical MB (keys + values) per second,
 * the same data for every system. Usage: {@code bin/run-bench io.tito.bench.BackupBench
 * [keys=300000] [valueBytes=200] [rounds=2] [postgres=true] [rocks=true] [pgdump=true] [variants=all|zstd]}
 * ({@code variants=zstd}: only zstd at the default parallelism).
 */
public final class BackupBench {

  private BackupBench() {}

  /**
   * Side by side: gzip on one thread (as before issue 15's speed pass), gzip on the default
   * parallelism (the default options), and zstd on the default parallelism.
   */
  /** Whether the PostgreSQL part also runs pg_dump / pg_restore. */
  private static boolean pgDump = true;

  private static List<BackupOptions> variants = List.of(
      BackupOptions.defaults().withParallelism(1),
      BackupOptions.defaults(),
      BackupOptions.defaults().withCompression(Compression.ZSTD));

  private static String label(BackupOptions o) {
    return "Tito backup (" + o.compression().name().toLowerCase(Locale.ROOT) + ", parallelism " + o.parallelism() + ")";
  }

  public static void main(String[] args) throws Exception {
    int keys = 300_000;
    int valueBytes = 200;
    int rounds = 2;
    boolean postgres = true;
    boolean rocks = true;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "keys" -> keys = Integer.parseInt(kv[1]);
        case "valueBytes" -> valueBytes = Integer.parseInt(kv[1]);
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "postgres" -> postgres = Boolean.parseBoolean(kv[1]);
        case "rocks" -> rocks = Boolean.parseBoolean(kv[1]);
        case "pgdump" -> pgDump = Boolean.parseBoolean(kv[1]);
        case "variants" -> variants = switch (kv[1]) {
          case "all" -> variants;
          case "zstd" -> List.of(BackupOptions.defaults().withCompression(Compression.ZSTD));
          default -> throw new IllegalArgumentException("variants=all|zstd, not " + kv[1]);
        };
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    Path work = Files.createTempDirectory("tito-backup-bench");
    System.out.printf("load average at start: %s%n", loadAverage());
    double mb = (keys * (14.0 + valueBytes)) / 1e6;
    System.out.printf("data: %d keys, %d-byte values, %.1f MB logical%n", keys, valueBytes, mb);
    List<String> rows = new ArrayList<>();
    try {
      if (rocks) {
        rocks(work, keys, valueBytes, rounds, mb, rows);
      }
      if (postgres) {
        postgres(work, keys, valueBytes, rounds, mb, rows);
      }
    } finally {
      delete(work);
    }
    System.out.printf("load average at end: %s%n", loadAverage());
    System.out.println();
    System.out.println("| system | operation | round | seconds | MB/s (logical) | process CPU s | MB per CPU s |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static void rocks(Path work, int keys, int valueBytes, int rounds, double mb, List<String> rows)
      throws Exception {
    Path store = work.resolve("rocks-source");
    try (RocksDbEngine engine = RocksDbEngine.open(store)) {
      load(engine, keys, valueBytes);
      for (int r = 1; r <= rounds; r++) {
        long t = start();
        long n = scanAll(engine);
        row(rows, "RocksDB engine", "scan only, no backup (" + n + " keys)", r, t, mb, "");
        for (int v = 0; v < variants.size(); v++) {
          String who = label(variants.get(v)) + ", RocksDB";
          Path dir = work.resolve("tito-rocks-" + r + "-" + v);
          Backups backups = Backups.of(LocalDirectoryStorage.in(dir), variants.get(v));
          long t0 = start();
          BackupManifest m = backups.full(engine);
          row(rows, who, "full backup", r, t0, mb, String.format(" (%.1f MB stored)", m.storedBytes() / 1e6));
          try (RocksDbEngine target = RocksDbEngine.open(work.resolve("rocks-restored-" + r + "-" + v))) {
            long t1 = start();
            backups.restore(RestorePoint.latest(), target);
            row(rows, who, "restore (bulk load)", r, t1, mb, "");
          }
          try (RocksDbEngine target = RocksDbEngine.open(work.resolve("rocks-restored-tx-" + r + "-" + v))) {
            long t1 = start();
            backups.restore(RestorePoint.latest(), new WithoutBulkLoad(target));
            row(rows, who, "restore (transactions)", r, t1, mb, "");
          }
          backups.releaseHold(engine);
        }
      }
    }
    for (int r = 1; r <= rounds; r++) {
      Path dir = work.resolve("rocks-backupengine-" + r);
      Path restored = work.resolve("rocks-be-restored-" + r);
      Files.createDirectories(dir);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      try (DBOptions o = new DBOptions()) {
        for (byte[] name : RocksDB.listColumnFamilies(new org.rocksdb.Options(), store.toString())) {
          descriptors.add(new ColumnFamilyDescriptor(name));
        }
        try (RocksDB db = RocksDB.open(o, store.toString(), descriptors, handles);
            BackupEngineOptions beo = new BackupEngineOptions(dir.toString());
            BackupEngine be = BackupEngine.open(Env.getDefault(), beo)) {
          long t0 = start();
          be.createNewBackup(db, true);
          row(rows, "RocksDB BackupEngine", "full backup (flush + copy)", r, t0, mb, "");
          long t1 = start();
          try (RestoreOptions ro = new RestoreOptions(false)) {
            be.restoreDbFromLatestBackup(restored.toString(), restored.toString(), ro);
          }
          row(rows, "RocksDB BackupEngine", "restore", r, t1, mb, "");
        } finally {
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
    }
  }

  private static void postgres(Path work, int keys, int valueBytes, int rounds, double mb, List<String> rows)
      throws Exception {
    String table = BenchServers.freshTable("tito_bkb_");
    List<String> tables = new ArrayList<>(List.of(table));
    try {
      try (JdbcEngine engine = pg(table)) {
        load(engine, keys, valueBytes);
        for (int r = 1; r <= rounds; r++) {
          for (int v = 0; v < variants.size(); v++) {
            String who = label(variants.get(v)) + ", PostgreSQL";
            Backups backups = Backups.of(LocalDirectoryStorage.in(work.resolve("tito-pg-" + r + "-" + v)),
                variants.get(v));
            long t0 = start();
            BackupManifest m = backups.full(engine);
            row(rows, who, "full backup", r, t0, mb, String.format(" (%.1f MB stored)", m.storedBytes() / 1e6));
            String target = BenchServers.freshTable("tito_bkr_");
            tables.add(target);
            try (JdbcEngine t = pg(target)) {
              long t1 = start();
              backups.restore(RestorePoint.latest(), t);
              row(rows, who, "restore", r, t1, mb, "");
            }
            backups.releaseHold(engine);
          }
        }
      }
      for (int r = 1; pgDump && r <= rounds; r++) {
        Path dump = work.resolve("pg-" + r + ".dump");
        long t0 = start();
        run("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Fc", "-t", table, "-f", dump.toString());
        row(rows, "pg_dump -Fc", "full backup", r, t0, mb, String.format(" (%.1f MB stored)", Files.size(dump) / 1e6));
        String db = "tito_bench_restore_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        try (Connection c = BenchServers.connect("postgresql"); Statement st = c.createStatement()) {
          st.execute("CREATE DATABASE " + db);
        }
        try {
          long t1 = start();
          run("pg_restore", "-h", "127.0.0.1", "-U", "postgres", "-d", db, dump.toString());
          row(rows, "pg_restore", "restore", r, t1, mb, "");
        } finally {
          try (Connection c = BenchServers.connect("postgresql"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE " + db);
          }
        }
      }
    } finally {
      for (String t : tables) {
        BenchServers.dropTables("postgresql", t);
      }
    }
  }

  private static long scanAll(Engine engine) {
    byte[] end = new byte[engine.limits().maxKeySize() + 1];
    java.util.Arrays.fill(end, (byte) 0xFF);
    long n = 0;
    try (EngineTransaction tx = engine.begin(true);
        io.tito.KeyValueCursor c = tx.scan(new byte[0], end, io.tito.ScanOptions.FORWARD)) {
      while (c.hasNext()) {
        c.next();
        n++;
      }
    }
    return n;
  }

  private static JdbcEngine pg(String table) {
    return JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(BenchServers.url("postgresql"))
        .user(BenchServers.user("postgresql")).table(table).build());
  }

  private static void load(Engine engine, int keys, int valueBytes) {
    Random random = new Random(42);
    byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{}:,\" ".getBytes(StandardCharsets.US_ASCII);
    long t0 = start();
    for (int from = 0; from < keys; from += 5000) {
      int start = from;
      try (EngineTransaction tx = engine.begin(false)) {
        for (int i = start; i < Math.min(keys, start + 5000); i++) {
          byte[] v = new byte[valueBytes];
          for (int j = 0; j < v.length; j++) {
            v[j] = alphabet[random.nextInt(alphabet.length)];
          }
          tx.set(String.format("key/%010d", i).getBytes(StandardCharsets.US_ASCII), v);
        }
        tx.commit();
      }
    }
    System.out.printf("loaded %s in %.1f s%n", engine.name(), (System.nanoTime() - t0) / 1e9);
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  /** Process CPU time when the current operation started (all threads, native ones included). */
  private static long cpuStart;

  /** Starts timing an operation: returns the wall clock and notes the process CPU time. */
  private static long start() {
    cpuStart = OS.getProcessCpuTime();
    return System.nanoTime();
  }

  /**
   * One result row: wall seconds and MB/s, and the process's CPU seconds over the operation (all
   * threads of this JVM, RocksDB's native ones included; not pg_dump's or the server's), which the
   * machine's load disturbs much less than the wall clock.
   */
  private static void row(List<String> rows, String system, String op, int round, long startNanos, double mb,
      String note) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    double cpu = (OS.getProcessCpuTime() - cpuStart) / 1e9;
    String line = String.format(Locale.ROOT, "| %s | %s%s | %d | %.2f | %.1f | %.2f | %.1f |", system, op, note, round, s,
        mb / s, cpu, mb / cpu);
    System.out.println(line);
    rows.add(line);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + code);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The engine without {@link io.tito.spi.Capability#BULK_LOAD}: restores go through transactions. */
  private static final class WithoutBulkLoad extends io.tito.spi.ForwardingEngine {
    WithoutBulkLoad(io.tito.spi.Engine delegate) {
      super(delegate);
    }

    @Override
    public java.util.Set<io.tito.spi.Capability> capabilities() {
      java.util.EnumSet<io.tito.spi.Capability> c = java.util.EnumSet.noneOf(io.tito.spi.Capability.class);
      c.addAll(super.capabilities());
      c.remove(io.tito.spi.Capability.BULK_LOAD);
      return c;
    }
  }
}
