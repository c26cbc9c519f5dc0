package io.tito.bench.peers;

import io.tito.RangeRead;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Issue 16, what one consumer fetch costs PostgreSQL: {@code calls} one-statement reads
 * ({@link JdbcEngine#readOnce}) shaped as a partition runner's fetch that finds one new event (a
 * point read, an empty range, a range holding the event, a one-key range), one thread; prints
 * the client's and its backend's CPU per fetch. {@code pgoptions=-c name=value} sets server
 * options on the connections (to compare planner settings).
 *
 * <p>Usage: {@code PgFetchCost [calls=5000] [rounds=3] [pgoptions=...]}
 */
public final class PgFetchCost {

  private PgFetchCost() {}

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    int calls = 5_000;
    int rounds = 3;
    String pgOptions = null;
    for (String a : args) {
      if (a.startsWith("calls=")) {
        calls = Integer.parseInt(a.substring(6));
      } else if (a.startsWith("rounds=")) {
        rounds = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("pgoptions=")) {
        pgOptions = a.substring(10);
      } else {
        throw new IllegalArgumentException("usage: PgFetchCost [calls=N] [rounds=N] [pgoptions=...]");
      }
    }
    String app = "pgfetch" + ProcessHandle.current().pid();
    try (PgSchema schema = PgSchema.create("bench_fetch_")) {
      JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
          .jdbcUrl(PgSchema.SERVER_URL + "?ApplicationName=" + app
              + (pgOptions == null ? "" : "&options=" + java.net.URLEncoder.encode(pgOptions,
                  StandardCharsets.UTF_8)))
          .user(PgSchema.USER).schema(schema.name()).poolSize(2).build());
      try (engine) {
        for (int batch = 0; batch < 20; batch++) {
          EngineTransaction tx = engine.begin(false);
          for (int i = 0; i < 500; i++) {
            tx.set(b(String.format("log/%08d", batch * 500 + i)), new byte[120]);
            tx.set(b(String.format("due/%08d", batch * 500 + i)), new byte[120]);
          }
          tx.set(b("state/g/0"), new byte[40]);
          tx.commit();
        }
        int[] at = {5_000};
        for (int r = 0; r < rounds; r++) {
          Map<Integer, Long> before = PgOutboxSides.backendCpu(app);
          long cpu = PgOutboxSides.processCpu();
          long t0 = System.nanoTime();
          for (int i = 0; i < calls; i++) {
            int n = at[0]++ % 9_000;
            engine.readOnce(List.of(
                RangeRead.point(b("state/g/0")),
                RangeRead.forward(new io.tito.KeyRange(b("req/"), b("req0")), 100),
                RangeRead.forward(new io.tito.KeyRange(b(String.format("log/%08d", n)), b("log0")), 100),
                RangeRead.forward(new io.tito.KeyRange(b(String.format("due/%08d", n + 1_000_000)), b("due0")), 1)));
          }
          double secs = (System.nanoTime() - t0) / 1e9;
          long clientNanos = PgOutboxSides.processCpu() - cpu;
          Map<Integer, Long> after = PgOutboxSides.backendCpu(app);
          long ticks = 0;
          for (Map.Entry<Integer, Long> e : after.entrySet()) {
            ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
          }
          System.out.printf("round %d: %,.0f fetches/s  client CPU %.0f us/fetch  backend CPU %.0f us/fetch%n",
              r + 1, calls / secs, clientNanos / 1e3 / calls, ticks * 10_000.0 / calls);
        }
      }
    }
  }
}
