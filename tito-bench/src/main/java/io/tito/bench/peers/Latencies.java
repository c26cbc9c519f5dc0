package io.tito.bench.peers;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency samples of one system in one scenario, kept in an HdrHistogram with microsecond
 * resolution (3 significant digits, up to one hour). Not thread-safe: record from one thread, or
 * collect per-event timestamps in arrays and record them after the run.
 */
final class Latencies {

  private final Histogram histogram = new Histogram(TimeUnit.HOURS.toMicros(1), 3);

  /** Records one sample given in nanoseconds; negative samples (clock skew) count as zero. */
  void recordNanos(long nanos) {
    histogram.recordValue(Math.max(0, nanos) / 1_000);
  }

  /** Records one sample given in microseconds. */
  void recordMicros(long micros) {
    histogram.recordValue(Math.max(0, micros));
  }

  /** Adds every sample of {@code other} to this one. */
  void add(Latencies other) {
    histogram.add(other.histogram);
  }

  long count() {
    return histogram.getTotalCount();
  }

  /** The value at {@code percentile} (0..100) in milliseconds. */
  double millisAt(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1_000.0;
  }

  /** The value at {@code percentile} (0..100) in microseconds. */
  long microsAt(double percentile) {
    return histogram.getValueAtPercentile(percentile);
  }

  double maxMillis() {
    return histogram.getMaxValue() / 1_000.0;
  }

  double meanMillis() {
    return histogram.getMean() / 1_000.0;
  }

  /** {@code p50 / p99 / max} in milliseconds, for a table cell. */
  String summary() {
    return String.format(Locale.ROOT, "%s / %s / %s", millis(millisAt(50)), millis(millisAt(99)),
        millis(maxMillis()));
  }

  /** A millisecond figure with precision suited to its size. */
  static String millis(double ms) {
    if (ms >= 100) {
      return String.format(Locale.ROOT, "%,.0f", ms);
    }
    if (ms >= 1) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%.3f", ms);
  }
}
