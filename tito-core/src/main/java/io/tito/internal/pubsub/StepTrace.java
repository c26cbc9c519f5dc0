package io.tito.internal.pubsub;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** TEMPORARY instrumentation (schedlate): per-step timings of partition runners. */
final class StepTrace {
  static final String FILE = System.getProperty("tito.debug.stepTrace");
  static final boolean ON = FILE != null;
  private static final int CAP = 2_000_000;
  private static final long[] BUF = ON ? new long[CAP * 8] : null;
  private static final AtomicInteger N = new AtomicInteger();

  static {
    if (ON) {
      Runtime.getRuntime().addShutdownHook(new Thread(StepTrace::dump));
    }
  }

  private StepTrace() {}

  /** kind, partition, t (epoch micros), a, b, c, d, e. */
  static void rec(long kind, long partition, long a, long b, long c, long d, long e) {
    if (!ON) {
      return;
    }
    int i = N.getAndIncrement();
    if (i >= CAP) {
      return;
    }
    int o = i * 8;
    java.time.Instant now = java.time.Instant.now();
    BUF[o] = kind;
    BUF[o + 1] = partition;
    BUF[o + 2] = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    BUF[o + 3] = a;
    BUF[o + 4] = b;
    BUF[o + 5] = c;
    BUF[o + 6] = d;
    BUF[o + 7] = e;
  }

  static long micros(java.time.Instant t) {
    return t == null ? -1 : t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static void dump() {
    int n = Math.min(N.get(), CAP);
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(FILE)))) {
      for (int i = 0; i < n; i++) {
        int o = i * 8;
        w.printf("%d %d %d %d %d %d %d %d%n", BUF[o], BUF[o + 1], BUF[o + 2], BUF[o + 3],
            BUF[o + 4], BUF[o + 5], BUF[o + 6], BUF[o + 7]);
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }
}
