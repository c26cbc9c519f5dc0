package io.tito.bench;

import java.util.HashMap;
import java.util.Map;

/** Command-line arguments of the benchmark mains: {@code key=value} words. */
public final class BenchArgs {

  private BenchArgs() {}

  /**
   * The {@code key=value} words of {@code args} as a map (a later word replaces an earlier one
   * with the same key).
   *
   * @throws IllegalArgumentException for a word without {@code =} or with an empty key
   */
  public static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got " + a);
      }
      out.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return out;
  }
}
