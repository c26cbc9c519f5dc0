package io.tito.bench.events;

import io.tito.Tito;
import io.tito.events.AppendRequest;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of wake-up notifications on PostgreSQL appends (issue 12): two Tito event stores on the
 * same PostgreSQL, each in its own fresh schema, one sending a {@code NOTIFY} in every append
 * commit ({@code wakeUpInterval} zero, as before) and one coalescing them (the default, 10 ms).
 * Short rounds alternate between the two, so that the machine's load drifts over both alike; each
 * round is {@code writers} threads appending one event per append to their own streams for {@code
 * seconds}. Prints each round's appends per second and the medians.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.events.WakeUpCostBench [rounds=8] [seconds=3]
 * [writers=4]}.
 */
public final class WakeUpCostBench {

  private WakeUpCostBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int rounds = 8;
    double seconds = 3;
    int writers = 4;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Double.parseDouble(kv[1]);
        case "writers" -> writers = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    System.out.printf(Locale.ROOT, "Date %s; %d cores; JDK %s; load average %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), EventWorkload.loadAverage());
    String every = EventBench.createSchema();
    String coalesced = EventBench.createSchema();
    try (Tito a = open(every, Duration.ZERO); Tito b = open(coalesced, EventStore.DEFAULT_WAKE_UP_INTERVAL)) {
      EventStore notifyEvery = a.module(EventStore.class);
      EventStore coalescing = b.module(EventStore.class);
      round(notifyEvery, writers, 1, "warm-up-a");   // JIT and connections, not reported
      round(coalescing, writers, 1, "warm-up-b");
      double[] ra = new double[rounds];
      double[] rb = new double[rounds];
      System.out.println("\n| round | NOTIFY every append: appends/s | coalesced (10 ms): appends/s | load average |");
      System.out.println("|---:|---:|---:|---|");
      for (int r = 0; r < rounds; r++) {
        // Alternate which goes first, so neither always follows the other.
        if (r % 2 == 0) {
          ra[r] = round(notifyEvery, writers, seconds, "a" + r);
          rb[r] = round(coalescing, writers, seconds, "b" + r);
        } else {
          rb[r] = round(coalescing, writers, seconds, "b" + r);
          ra[r] = round(notifyEvery, writers, seconds, "a" + r);
        }
        System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %s |%n", r + 1, ra[r], rb[r], EventWorkload.loadAverage());
      }
      System.out.printf(Locale.ROOT, "| median | %,.0f | %,.0f | |%n", median(ra), median(rb));
    } finally {
      EventBench.dropSchema(every);
      EventBench.dropSchema(coalesced);
    }
  }

  private static Tito open(String schema, Duration interval) {
    JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(EventBench.PG_URL)
        .user(EventBench.PG_USER).schema(schema).poolSize(EventBench.PG_POOL).build());
    return Tito.builder().engine(engine).with(EventStore.builder().wakeUpInterval(interval)).build();
  }

  /** Appends for {@code seconds} with {@code writers} threads; returns appends per second. */
  private static double round(EventStore store, int writers, double seconds, String tag) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    AtomicLong appends = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String stream = "wake-" + tag + "-" + w;
        fs.add(pool.submit(() -> {
          long version = 0;
          while (System.nanoTime() < end) {
            store.append(AppendRequest.of(stream, ExpectedVersion.exact(version),
                List.of(EventData.of("Deposited", new Deposited(version + 1)))));
            version++;
            appends.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return appends.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
