package io.tito.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 2 ({@link OutboxEndToEnd}) for the PostgreSQL systems only: Tito's JDBC engine with a
 * per-event and a batch handler, and the hand-written SKIP LOCKED table, printed as scenario 2's
 * table. For before/after runs of engine changes without the RocksDB, gruelbox and other
 * scenarios' time.
 *
 * <p>Usage: {@code bin/run-bench io.tito.bench.peers.OutboxPostgresRows [events=3000]
 * [latency=300] [producers=4] [systems=tito-postgresql,tito-postgresql-batch,skip-locked]}
 * ({@code tito-mariadb} and {@code tito-mariadb-batch} too: Tito on the local MariaDB server;
 * {@code producers}: threads of the throughput phase, 4 as in scenario 2).
 */
public final class OutboxPostgresRows {

  private OutboxPostgresRows() {}

  public static void main(String[] args) throws Exception {
    int events = 3_000;
    int latency = 300;
    List<String> systems = List.of("tito-postgresql", "tito-postgresql-batch", "skip-locked");
    for (String a : args) {
      if (a.startsWith("events=")) {
        events = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("latency=")) {
        latency = Integer.parseInt(a.substring(8));
      } else if (a.startsWith("producers=")) {
        OutboxEndToEnd.producers = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("systems=")) {
        systems = List.of(a.substring(8).split(","));
      } else {
        throw new IllegalArgumentException("usage: OutboxPostgresRows [events=N] [latency=N] [producers=N] [systems=a,b,...], got " + a);
      }
    }
    int warmup = Math.max(20, latency / 5);
    Path dir = Files.createTempDirectory("outbox-pg");
    List<OutboxEndToEnd.Outcome> out = new ArrayList<>();
    for (String system : systems) {
      out.add(OutboxEndToEnd.runOne(system, dir, events, warmup, latency));
    }
    for (OutboxEndToEnd.Outcome o : out) {
      System.out.printf("%-24s %8.0f events/s  p50 %7.2f ms  p99 %7.2f ms  duplicates %d%n",
          o.system(), o.perSecond(), o.latencies().millisAt(50),
          o.latencies().millisAt(99), o.duplicates());
    }
  }
}
