package io.tito.internal.admin;

import java.time.Duration;
import java.util.Locale;

/** Durations as operators type them: {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}, {@code PT1M}. */
public final class Durations {

  private Durations() {}

  /** The positive duration {@code text} names, or null if it names none. */
  public static Duration parse(String text) {
    if (text == null) {
      return null;
    }
    String v = text.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (v.startsWith("pt")) {
        d = Duration.parse(v);
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        d = switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> null;
        };
      }
    } catch (RuntimeException e) {
      return null;
    }
    return d == null || d.isNegative() || d.isZero() ? null : d;
  }
}
