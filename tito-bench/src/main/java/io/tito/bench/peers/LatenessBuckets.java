package io.tito.bench.peers;

import io.tito.bench.peers.ScheduledSystems.Recorder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lateness over the window, for finding when late events were late: per 100 ms bucket of due
 * time, the events, p99 and max lateness of their first handling, printed for buckets whose max
 * is at least 20 ms (system property {@code tito.scheduled.buckets=true}). The window's start is
 * also given as JVM uptime, so that {@code -Xlog:gc*} lines and server-side samples line up.
 */
final class LatenessBuckets {

  static final long BUCKET_MICROS = 100_000;
  static final long SHOWN_FROM_MICROS = 20_000;

  private LatenessBuckets() {}

  static void print(String system, Recorder r, long base, int events) {
    long nowMicros = ScheduledSystems.nowMicros();
    long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
    long baseUptimeMs = uptimeMs - (nowMicros - base) / 1_000;
    System.out.printf("%s: window starts at JVM uptime %.3f s (epoch µs %d)%n", system,
        baseUptimeMs / 1e3, base);
    lines(r, base, events).forEach(System.out::println);
  }

  /** One line per bucket whose max lateness is at least {@value #SHOWN_FROM_MICROS} µs. */
  static List<String> lines(Recorder r, long base, int events) {
    List<String> out = new ArrayList<>();
    int buckets = (int) ((r.due[events - 1] - base) / BUCKET_MICROS) + 1;
    long[][] late = new long[buckets][];
    int[] counts = new int[buckets];
    for (int i = 0; i < events; i++) {
      counts[(int) ((r.due[i] - base) / BUCKET_MICROS)]++;
    }
    for (int b = 0; b < buckets; b++) {
      late[b] = new long[counts[b]];
      counts[b] = 0;
    }
    for (int i = 0; i < events; i++) {
      int b = (int) ((r.due[i] - base) / BUCKET_MICROS);
      late[b][counts[b]++] = r.deliveries.get(i) > 0 ? r.firstAt[i] - r.due[i] : Long.MAX_VALUE;
    }
    for (int b = 0; b < buckets; b++) {
      long[] l = late[b];
      if (l.length == 0) {
        continue;
      }
      Arrays.sort(l);
      long max = l[l.length - 1];
      if (max >= SHOWN_FROM_MICROS) {
        long p99 = l[Math.min(l.length - 1, (int) Math.ceil(l.length * 0.99) - 1)];
        out.add(String.format(java.util.Locale.ROOT, "  due %5.1f s: %d events, p99 %.1f ms, max %.1f ms",
            b * BUCKET_MICROS / 1e6, l.length, p99 / 1e3, max / 1e3));
      }
    }
    return out;
  }
}
