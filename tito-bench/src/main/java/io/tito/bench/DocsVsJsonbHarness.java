package io.tito.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.Tito;
import io.tito.docs.DocCollection;
import io.tito.docs.DocIndex;
import io.tito.docs.DocumentStore;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import io.tito.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * tito-docs on RocksDB side by side with PostgreSQL JSONB (a GIN index queried with {@code @>},
 * expression indexes) for load, get, put and indexed queries at given sizes, one thread.
 *
 * <p>{@code bin/run-bench io.tito.bench.DocsVsJsonbHarness sizes=10000,100000 ops=2000
 * durability=sync}: RocksDB durability {@code sync} (default) matches PostgreSQL's default
 * flush per commit; any other value ({@code none}, {@code group}) runs PostgreSQL with
 * {@code synchronous_commit = off}. {@code stores=tito} or {@code stores=pg} runs one side only.
 * {@code countOps} (default {@code ops / 10}) sets the timed
 * operations of the count rows; {@code rows=or,eq+range} runs only the query rows whose names
 * start with one of the given prefixes; {@code blockCacheBytes=N} sizes RocksDB's block cache;
 * each row also gives the calling thread's CPU per operation, the process's read system calls per
 * operation (block cache misses on RocksDB) and the 1-minute load average;
 * {@code keep=DIR} keeps the RocksDB store of each size in {@code DIR/<size>} and, when a later run
 * finds it there, skips the load and its settle (the put phase has replaced some documents with
 * new random ones of the same shape; a store is only reused by a build that reads its format), and
 * PostgreSQL's table of each size as {@code docs_keep_<size>} (reused when a finished load marked
 * it; for PostgreSQL, {@code reads/op} is the table's and its indexes' blocks read from outside
 * shared buffers, from {@code pg_statio_user_tables}). Both
 * stores settle after the load and again after the put phase
 * (RocksDB: {@link RocksDbEngine#compact()}, PostgreSQL: {@code VACUUM ANALYZE}), so every query
 * row is timed on a settled store; the settle times are reported as rows of their own. The
 * {@code or} row is asked twice: in id order (PostgreSQL: {@code ORDER BY id}) and in any order
 * (tito-docs {@code anyOrder()}, PostgreSQL without {@code ORDER BY}). {@code pgParse=true}
 * makes PostgreSQL's query rows parse every returned body into a Jackson tree, as tito-docs
 * returns parsed documents (default: bodies are not read, only ids).
 */
public final class DocsVsJsonbHarness {

  private static final int COUNTRIES = 50;
  private static final int TAGS = 20;

  /** Timed operations of the count rows (they read thousands of entries each). */
  private static int countOps;

  /** RocksDB's block cache size in bytes ({@code blockCacheBytes=}), or null: the default. */
  private static String blockCache;

  /** Where stores are kept between runs ({@code keep=}), or null: a temporary directory. */
  private static Path keep;

  /**
   * Whether every key (RocksDB) or every page of the table and its indexes (PostgreSQL,
   * {@code pg_prewarm}) is read once after the settle that follows the put phase, so that the
   * query rows are timed on a warm cache ({@code warm=true}); default false.
   */
  private static boolean warm;

  /**
   * Whether the PostgreSQL rows parse each returned document's JSON into a Jackson tree
   * ({@code pgParse=true}), as tito-docs must do for every document it returns; default false
   * (the rows are read as strings only).
   */
  private static boolean pgParse;

  /** Prefixes of the query rows to run (empty: all). */
  private static List<String> only = List.of();

  private DocsVsJsonbHarness() {}

  interface Op {
    void run(int i) throws Exception;
  }

  interface Work {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String s : args) {
      String[] kv = s.split("=", 2);
      a.put(kv[0], kv[1]);
    }
    int ops = Integer.parseInt(a.getOrDefault("ops", "2000"));
    countOps = Integer.parseInt(a.getOrDefault("countOps", String.valueOf(Math.max(1, ops / 10))));
    String durability = a.getOrDefault("durability", "sync");
    blockCache = a.get("blockCacheBytes");
    keep = a.containsKey("keep") ? Path.of(a.get("keep")) : null;
    warm = Boolean.parseBoolean(a.getOrDefault("warm", "false"));
    pgParse = Boolean.parseBoolean(a.getOrDefault("pgParse", "false"));
    only = a.containsKey("rows") ? List.of(a.get("rows").split(",")) : List.of();
    List<String> stores = List.of(a.getOrDefault("stores", "tito,pg").split(","));
    System.out.printf("%-8s %-6s %-34s %12s %10s %10s %10s %8s %6s %10s%n", "size", "store",
        "operation", "ops/s", "p50 us", "p99 us", "cpu us/op", "reads/op", "load", "KiB/op");
    for (String size : a.getOrDefault("sizes", "10000,100000").split(",")) {
      int n = Integer.parseInt(size);
      if (stores.contains("tito")) {
        runTito(n, ops, durability);
      }
      if (stores.contains("pg")) {
        runPostgres(n, ops, durability);
      }
    }
  }

  static ObjectNode doc(int i, Random rnd) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("email", "user" + i + "@example.com").put("name", "User " + i)
        .put("country", "C" + rnd.nextInt(COUNTRIES)).put("age", rnd.nextInt(100))
        .put("score", rnd.nextInt(10_000) / 10.0);
    d.putObject("address").put("city", "City" + rnd.nextInt(500)).put("zip", 1000 + i % 9000);
    for (int t = 0; t < 3; t++) {
      d.withArray("tags").add("t" + rnd.nextInt(TAGS));
    }
    return d;
  }

  static void runTito(int n, int ops, String durability) throws Exception {
    Path dir = keep == null ? BenchStores.tempDir() : keep.resolve(String.valueOf(n));
    Path loaded = dir.resolve("loaded");
    boolean reuse = keep != null && java.nio.file.Files.exists(loaded);
    java.nio.file.Files.createDirectories(dir);
    try (Tito tito = Tito.builder()
        .engine("rocksdb", blockCache == null
            ? Map.of("path", dir.toString(), "durability", durability)
            : Map.of("path", dir.toString(), "durability", durability,
                "blockCacheBytes", blockCache))
        .with(DocumentStore.builder().collection("docs", DocIndex.unique("by_email", "email"),
            DocIndex.of("by_country_age", "country", "age"), DocIndex.of("by_tag", "tags[]")))
        .build()) {
      DocCollection<ObjectNode> docs = tito.module(DocumentStore.class).collection("docs");
      if (!reuse) {
        Random rnd = new Random(1);
        long t0 = System.nanoTime();
        for (int b = 0; b < n; b += 1000) {
          int from = b;
          tito.inTransaction(tx -> {
            for (int i = from; i < Math.min(n, from + 1000); i++) {
              docs.insert(tx, id(i), doc(i, rnd));
            }
          });
        }
        report(n, "tito", "load (1000 per transaction)", n, System.nanoTime() - t0, null);
        settle(n, "tito", () -> ((RocksDbEngine) tito.engine()).compact());
        if (keep != null) {
          java.nio.file.Files.createFile(loaded);
        }
      } else {
        System.out.printf("%-8d %-6s %-34s%n", n, "tito", "load skipped: kept store " + dir);
      }
      Random q = new Random(2);
      measure(n, "tito", "get by id", ops, i -> docs.get(id(q.nextInt(n))).orElseThrow());
      measure(n, "tito", "put (replace, own transaction)", ops,
          i -> {
            int k = q.nextInt(n);
            docs.put(id(k), doc(k, q));
          });
      settle(n, "tito", () -> ((RocksDbEngine) tito.engine()).compact());
      if (warm) {
        long w0 = System.nanoTime();
        long keys = tito.read(tx -> {
          long k = 0;
          try (io.tito.KeyValueCursor c = tx.scan(io.tito.KeyRange.ALL)) {
            while (c.hasNext()) {
              c.next();
              k++;
            }
          }
          return k;
        });
        System.out.printf("%-8d %-6s %-34s %12s %10.0f ms%n", n, "tito",
            "warm (" + keys + " keys read)", "-", (System.nanoTime() - w0) / 1e6);
      }
      Rows rows = new Rows(n, "tito");
      Op eqRange = i -> docs.query(countryAndAges(q)).orderBy(Order.asc("age")).limit(20).page();
      rows.add("eq+range order limit 20", ops, eqRange);
      rows.add("eq order limit 20", ops, i -> docs.query(
          Filter.eq("country", "C" + q.nextInt(COUNTRIES))).orderBy(Order.asc("age")).limit(20)
          .page());
      rows.add("array contains limit 20", ops, i -> docs.query(
          Filter.contains("tags", "t" + q.nextInt(TAGS))).limit(20).page());
      rows.add("count eq+range", countOps,
          i -> docs.query(countryAndAges(q)).scanLimit(1_000_000).count());
      // Timed again after the other queries: a check that position in the run does not matter.
      rows.add("eq+range order limit 20 (again)", ops, eqRange);
      rows.add("in (3 countries) order limit 20", ops, i -> docs.query(
          Filter.in("country", "C" + q.nextInt(COUNTRIES), "C" + q.nextInt(COUNTRIES),
              "C" + q.nextInt(COUNTRIES))).orderBy(Order.asc("age")).limit(20).page());
      rows.add("or (country, tag) limit 20", ops, i -> docs.query(
          Filter.or(Filter.eq("country", "C" + q.nextInt(COUNTRIES)),
              Filter.contains("tags", "t" + q.nextInt(TAGS)))).limit(20).page());
      rows.add("or (country, tag) any order limit 20", ops, i -> docs.query(
          Filter.or(Filter.eq("country", "C" + q.nextInt(COUNTRIES)),
              Filter.contains("tags", "t" + q.nextInt(TAGS)))).anyOrder().limit(20).page());
      rows.add("count or (country, tag)", countOps, i -> docs.query(
          Filter.or(Filter.eq("country", "C" + q.nextInt(COUNTRIES)),
              Filter.contains("tags", "t" + q.nextInt(TAGS)))).scanLimit(1_000_000).count());
      rows.run();
    } finally {
      if (keep == null) {
        BenchStores.delete(dir);
      }
    }
  }

  static void runPostgres(int n, int ops, String durability) throws Exception {
    String table = keep == null ? BenchServers.freshTable("docs_bench_") : "docs_keep_" + n;
    try (Connection c = BenchServers.connect("postgresql")) {
      try (Statement st = c.createStatement()) {
        if (!durability.equals("sync")) {
          st.execute("SET synchronous_commit = off"); // like RocksDB without a sync per commit
        }
      }
      if (keep != null && pgLoaded(c, table)) {
        System.out.printf("%-8d %-6s %-34s%n", n, "pg", "load skipped: kept table " + table);
        runPostgresQueries(c, table, n, ops);
        return;
      }
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + table);
        st.execute("CREATE TABLE " + table + " (id text PRIMARY KEY, body jsonb NOT NULL)");
        st.execute("CREATE INDEX ON " + table + " USING gin (body jsonb_path_ops)");
        st.execute("CREATE UNIQUE INDEX ON " + table + " ((body->>'email'))");
        st.execute("CREATE INDEX ON " + table + " ((body->>'country'), ((body->>'age')::int))");
      }
      Random rnd = new Random(1);
      long t0 = System.nanoTime();
      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO " + table + " (id, body) VALUES (?, ?::jsonb)")) {
        for (int i = 0; i < n; i++) {
          ins.setString(1, id(i));
          ins.setString(2, doc(i, rnd).toString());
          ins.addBatch();
          if (i % 1000 == 999 || i == n - 1) {
            ins.executeBatch();
            c.commit();
          }
        }
      }
      c.setAutoCommit(true);
      report(n, "pg", "load (1000 per transaction)", n, System.nanoTime() - t0, null);
      settle(n, "pg", () -> vacuum(c, table));
      if (keep != null) {
        try (Statement st = c.createStatement()) {
          st.execute("COMMENT ON TABLE " + table + " IS 'loaded'");
        }
      }
      runPostgresQueries(c, table, n, ops);
    } finally {
      if (keep == null) {
        BenchServers.dropTables("postgresql", table);
      }
    }
  }

  /** Whether {@code table} exists and a run of {@code keep=} finished loading it. */
  static boolean pgLoaded(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT obj_description(to_regclass(?), 'pg_class')")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "loaded".equals(rs.getString(1));
      }
    }
  }

  /**
   * The table's and its indexes' blocks read from outside PostgreSQL's shared buffers (the OS
   * cache or the disk) so far, as {@code pg_statio_user_tables} counts them once the calling
   * backend has flushed its statistics; only this harness reads its table, so other sessions'
   * reads are not in it.
   */
  static long pgBlocksRead(Connection c, String table) {
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_force_next_flush()"); // flushed when the backend goes idle
      try (ResultSet rs = st.executeQuery("SELECT heap_blks_read + coalesce(idx_blks_read, 0)"
          + " + coalesce(toast_blks_read, 0) + coalesce(tidx_blks_read, 0)"
          + " FROM pg_statio_user_tables WHERE relid = '" + table + "'::regclass")) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      return -1;
    }
  }

  static void runPostgresQueries(Connection c, String table, int n, int ops) throws Exception {
    readCounter = () -> pgBlocksRead(c, table);
    try {
      Random q = new Random(2);
      PreparedStatement get = c.prepareStatement("SELECT body FROM " + table + " WHERE id = ?");
      measure(n, "pg", "get by id", ops, i -> {
        get.setString(1, id(q.nextInt(n)));
        drain(get);
      });
      PreparedStatement put = c.prepareStatement("INSERT INTO " + table
          + " (id, body) VALUES (?, ?::jsonb) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body");
      measure(n, "pg", "put (replace, own transaction)", ops, i -> {
        int k = q.nextInt(n);
        put.setString(1, id(k));
        put.setString(2, doc(k, q).toString());
        put.executeUpdate();
      });
      settle(n, "pg", () -> vacuum(c, table));
      if (warm) {
        long w0 = System.nanoTime();
        long blocks;
        try (Statement st = c.createStatement()) {
          st.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
          try (ResultSet rs = st.executeQuery("SELECT sum(pg_prewarm(oid)) FROM pg_class WHERE oid = '"
              + table + "'::regclass OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '"
              + table + "'::regclass)")) {
            rs.next();
            blocks = rs.getLong(1);
          }
        }
        System.out.printf("%-8d %-6s %-34s %12s %10.0f ms%n", n, "pg",
            "warm (" + blocks + " blocks prewarmed)", "-", (System.nanoTime() - w0) / 1e6);
      }
      Rows rows = new Rows(n, "pg");
      PreparedStatement range = c.prepareStatement("SELECT id, body FROM " + table
          + " WHERE body->>'country' = ? AND (body->>'age')::int BETWEEN ? AND ?"
          + " ORDER BY (body->>'age')::int, id LIMIT 20");
      Op eqRange = i -> drainCountryAndAges(range, q);
      rows.add("eq+range order limit 20", ops, eqRange);
      PreparedStatement eq = c.prepareStatement("SELECT id, body FROM " + table
          + " WHERE body @> ?::jsonb ORDER BY (body->>'age')::int, id LIMIT 20");
      rows.add("eq order limit 20 (@>)", ops, i -> {
        eq.setString(1, "{\"country\":\"C" + q.nextInt(COUNTRIES) + "\"}");
        drain(eq);
      });
      PreparedStatement tags = c.prepareStatement("SELECT id, body FROM " + table
          + " WHERE body @> ?::jsonb LIMIT 20");
      rows.add("array contains limit 20 (@>)", ops, i -> {
        tags.setString(1, "{\"tags\":[\"t" + q.nextInt(TAGS) + "\"]}");
        drain(tags);
      });
      PreparedStatement count = c.prepareStatement("SELECT count(*) FROM " + table
          + " WHERE body->>'country' = ? AND (body->>'age')::int BETWEEN ? AND ?");
      rows.add("count eq+range", countOps, i -> drainCountryAndAges(count, q));
      rows.add("eq+range order limit 20 (again)", ops, eqRange);
      PreparedStatement in = c.prepareStatement("SELECT id, body FROM " + table
          + " WHERE body->>'country' IN (?, ?, ?) ORDER BY (body->>'age')::int, id LIMIT 20");
      rows.add("in (3 countries) order limit 20", ops, i -> {
        for (int k = 1; k <= 3; k++) {
          in.setString(k, "C" + q.nextInt(COUNTRIES));
        }
        drain(in);
      });
      PreparedStatement or = c.prepareStatement("SELECT id, body FROM " + table
          + " WHERE body @> ?::jsonb OR body @> ?::jsonb ORDER BY id LIMIT 20");
      rows.add("or (country, tag) limit 20", ops, i -> {
        or.setString(1, "{\"country\":\"C" + q.nextInt(COUNTRIES) + "\"}");
        or.setString(2, "{\"tags\":[\"t" + q.nextInt(TAGS) + "\"]}");
        drain(or);
      });
      PreparedStatement orAny = c.prepareStatement("SELECT id, body FROM " + table
          + " WHERE body @> ?::jsonb OR body @> ?::jsonb LIMIT 20");
      rows.add("or (country, tag) any order limit 20", ops, i -> {
        orAny.setString(1, "{\"country\":\"C" + q.nextInt(COUNTRIES) + "\"}");
        orAny.setString(2, "{\"tags\":[\"t" + q.nextInt(TAGS) + "\"]}");
        drain(orAny);
      });
      PreparedStatement countOr = c.prepareStatement("SELECT count(*) FROM " + table
          + " WHERE body @> ?::jsonb OR body @> ?::jsonb");
      rows.add("count or (country, tag)", countOps, i -> {
        countOr.setString(1, "{\"country\":\"C" + q.nextInt(COUNTRIES) + "\"}");
        countOr.setString(2, "{\"tags\":[\"t" + q.nextInt(TAGS) + "\"]}");
        drain(countOr);
      });
      rows.run();
    } finally {
      readCounter = DocsVsJsonbHarness::readCalls;
    }
  }

  /**
   * Query rows: every row is warmed up ({@code ops / 4} calls) before any row is timed, so that
   * no row pays for the JIT compiling the code paths it shares with the rows after it.
   */
  static final class Rows {
    private final int n;
    private final String store;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();

    Rows(int n, String store) {
      this.n = n;
      this.store = store;
    }

    void add(String name, int count, Op op) {
      if (!only.isEmpty() && only.stream().noneMatch(name::startsWith)) {
        return;
      }
      names.add(name);
      counts.add(count);
      ops.add(op);
    }

    void run() throws Exception {
      for (int r = 0; r < ops.size(); r++) {
        for (int i = 0; i < counts.get(r) / 4; i++) {
          ops.get(r).run(i);
        }
      }
      for (int r = 0; r < ops.size(); r++) {
        time(n, store, names.get(r), counts.get(r), ops.get(r));
      }
    }
  }

  /** Lets a store finish the background work a write phase left behind, and reports its time. */
  static void settle(int n, String store, Work work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    System.out.printf("%-8d %-6s %-34s %12s %10.0f ms%n", n, store,
        "settle (compact / vacuum analyze)", "-", (System.nanoTime() - t0) / 1e6);
  }

  static void vacuum(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("VACUUM ANALYZE " + table); // autocommit is on: VACUUM cannot run in a transaction
    }
  }

  /** A random country and a ten-year age range from {@code q}: the eq+range rows' filter. */
  static Filter countryAndAges(Random q) {
    int age = q.nextInt(90);
    return Filter.and(Filter.eq("country", "C" + q.nextInt(COUNTRIES)),
        Filter.between("age", age, age + 10));
  }

  /** Binds what {@link #countryAndAges} draws (country, age, age + 10) to {@code ps} and reads its rows. */
  static void drainCountryAndAges(PreparedStatement ps, Random q) throws SQLException {
    int age = q.nextInt(90);
    ps.setString(1, "C" + q.nextInt(COUNTRIES));
    ps.setInt(2, age);
    ps.setInt(3, age + 10);
    drain(ps);
  }

  static void drain(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      int body = pgParse ? bodyColumn(rs) : 0;
      while (rs.next()) {
        rs.getString(1);
        if (body > 0) {
          parse(rs.getString(body));
        }
      }
    }
  }

  /** The position of the {@code body} column of {@code rs}, or 0 when it has none. */
  static int bodyColumn(ResultSet rs) throws SQLException {
    java.sql.ResultSetMetaData md = rs.getMetaData();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      if (md.getColumnName(i).equals("body")) {
        return i;
      }
    }
    return 0;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Parses a row's JSON body into a tree, as a caller of tito-docs gets its documents. */
  static void parse(String json) throws SQLException {
    try {
      JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new SQLException("row body is not JSON", e);
    }
  }

  static String id(int i) {
    return String.format("doc-%08d", i);
  }

  static void measure(int n, String store, String name, int ops, Op op) throws Exception {
    for (int i = 0; i < ops / 4; i++) {
      op.run(i); // warm-up
    }
    time(n, store, name, ops, op);
  }

  static void time(int n, String store, String name, int ops, Op op) throws Exception {
    long[] lat = new long[ops];
    long reads0 = readCounter.getAsLong();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    long alloc0 = allocated();
    long t0 = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      long s = System.nanoTime();
      op.run(i);
      lat[i] = System.nanoTime() - s;
    }
    long nanos = System.nanoTime() - t0;
    cpuPerOp = (CPU.getCurrentThreadCpuTime() - cpu0) / 1000.0 / ops;
    long alloc1 = allocated();
    allocKbPerOp = alloc0 < 0 || alloc1 < 0 ? Double.NaN : (alloc1 - alloc0) / 1024.0 / ops;
    long reads = readCounter.getAsLong();
    readsPerOp = reads < 0 || reads0 < 0 ? Double.NaN : (reads - reads0) / (double) ops;
    report(n, store, name, ops, nanos, lat);
  }

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * The calling thread's CPU time per operation of the last timed row, in microseconds: on a
   * loaded machine far steadier than the wall-clock p50 (a PostgreSQL row's CPU is the client's
   * only; the server's is not in it).
   */
  private static double cpuPerOp = Double.NaN;

  /** KiB the calling thread allocated per operation of the last timed row (NaN: not known). */
  private static double allocKbPerOp = Double.NaN;

  /** The calling thread's allocated bytes, or -1 where the JVM does not tell. */
  static long allocated() {
    return CPU instanceof com.sun.management.ThreadMXBean t
        ? t.getCurrentThreadAllocatedBytes() : -1;
  }

  /**
   * Read system calls per operation of the last timed row (the process's {@code syscr} in
   * {@code /proc/self/io}): RocksDB reads a data block missing from its block cache with one
   * {@code pread}, so this counts block cache misses (PostgreSQL's reads happen in the server and
   * are not in it; a client's socket reads are).
   */
  private static double readsPerOp = Double.NaN;

  /**
   * The read counter of the store being timed: the process's read system calls for tito, the
   * table's blocks read from outside shared buffers for PostgreSQL ({@link #pgBlocksRead}).
   */
  private static java.util.function.LongSupplier readCounter = DocsVsJsonbHarness::readCalls;

  /** The process's read system calls so far, or -1 where {@code /proc/self/io} is missing. */
  static long readCalls() {
    try {
      for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/self/io"))) {
        if (l.startsWith("syscr:")) {
          return Long.parseLong(l.substring(6).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not on Linux
    }
    return -1;
  }

  static void report(int n, String store, String name, int ops, long nanos, long[] lat) {
    String p50 = "-";
    String p99 = "-";
    if (lat != null) {
      Arrays.sort(lat);
      p50 = String.format("%.0f", lat[lat.length / 2] / 1000.0);
      p99 = String.format("%.0f", lat[(int) (lat.length * 0.99)] / 1000.0);
    }
    String cpu = lat == null || Double.isNaN(cpuPerOp) ? "-" : String.format("%.0f", cpuPerOp);
    cpuPerOp = Double.NaN;
    String reads = lat == null || Double.isNaN(readsPerOp) ? "-"
        : String.format("%.1f", readsPerOp);
    readsPerOp = Double.NaN;
    String alloc = lat == null || Double.isNaN(allocKbPerOp) ? "-"
        : String.format("%.0f", allocKbPerOp);
    allocKbPerOp = Double.NaN;
    System.out.printf("%-8d %-6s %-34s %12.0f %10s %10s %10s %8s %6s %10s%n", n, store, name,
        ops / (nanos / 1e9), p50, p99, cpu, reads, load(), alloc);
  }

  /** The 1-minute load average ({@code /proc/loadavg}), or "-" where there is none. */
  static String load() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "-";
    }
  }
}
