package io.tito.examples;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start: opens an embedded store, writes, reads, scans in both directions, and
 * lets concurrent transactions race on one counter while the runner retries their conflicts.
 *
 * <p>Run it with {@code bin/demo [data-directory]}.
 */
public final class QuickStart {

  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("quickstart", args, QuickStart::run);
  }

  /** The walk-through itself, on any engine. */
  public static void run(Tito tito, PrintStream out) throws InterruptedException {
    // Keys are tuples: byte order equals logical order, negative and decimal numbers included.
    Subspace temps = tito.root().subspace("example", "temperatures");
    Object[][] readings = {{-12.5, "Oslo"}, {31.0, "Cairo"}, {-3.0, "Reykjavik"}, {8.25, "Lima"},
        {22.0, "Lisbon"}, {0.0, "London"}};
    tito.inTransaction(tx -> {
      tx.clearRange(temps.range());
      for (Object[] r : readings) {
        tx.set(temps.pack(r[0], r[1]), utf8((String) r[1] + " is " + r[0] + " C"));
      }
    });
    out.println("Wrote " + readings.length + " readings in one transaction");

    String lisbon = tito.read(tx -> text(tx.get(temps.pack(22.0, "Lisbon"))));
    out.println("Read back: " + lisbon);

    out.println("Coldest first (forward scan):");
    tito.read(tx -> {
      try (KeyValueCursor c = tx.scan(temps.range())) {
        c.forEachRemaining(kv -> out.println("  " + describe(temps, kv)));
      }
      return null;
    });

    out.println("Three warmest (reverse scan, limit 3):");
    tito.read(tx -> {
      try (KeyValueCursor c = tx.scan(temps.range(), ScanOptions.REVERSE.withLimit(3))) {
        c.forEachRemaining(kv -> out.println("  " + describe(temps, kv)));
      }
      return null;
    });

    byte[] counter = tito.root().pack("example", "counter");
    tito.inTransaction(tx -> tx.set(counter, Tuple.of(0L).pack()));
    int threads = 4;
    int perThread = 50;
    List<Future<?>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            tito.inTransaction(tx -> {
              long n = Tuple.unpack(tx.get(counter)).getLong(0);
              tx.set(counter, Tuple.of(n + 1).pack());
            });
          }
        }));
      }
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    for (Future<?> w : workers) {
      try {
        w.get(); // a worker that gave up (retries exhausted) fails the example, not a low count
      } catch (ExecutionException e) {
        throw new IllegalStateException("an incrementing thread failed", e.getCause());
      }
    }
    long total = tito.read(tx -> Tuple.unpack(tx.get(counter)).getLong(0));
    out.println(threads + " threads x " + perThread + " increments, conflicts retried: counter = " + total);
  }

  private static String describe(Subspace temps, KeyValue kv) {
    Tuple key = temps.unpack(kv.key());
    return key.getDouble(0) + " " + key.getString(1) + " -> " + text(kv.value());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? "(absent)" : new String(b, StandardCharsets.UTF_8);
  }
}
