package io.tito.spi;

import io.tito.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The string settings an {@link EngineProvider} is opened with, checked against the names it
 * knows, with typed reads that fail with one kind of error. Every error is an {@link
 * InvalidArgumentException} whose context names the engine, the setting and what was expected, so
 * a user sees the same message whichever engine they configure. Immutable and thread-safe.
 */
public final class EngineSettings {

  private final String engine;
  private final Map<String, String> values;
  private final Set<String> known;

  private EngineSettings(String engine, Map<String, String> values, Set<String> known) {
    this.engine = engine;
    this.values = values;
    this.known = known;
  }

  /**
   * The settings of {@code engine}, checked against {@code known}.
   *
   * @throws InvalidArgumentException "unknown engine settings" if a name is not in {@code known}
   *     (the context lists the unknown and the known names)
   */
  public static EngineSettings of(String engine, Map<String, String> settings, Set<String> known) {
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new InvalidArgumentException("unknown engine settings",
          Map.of("engine", engine, "unknown", unknown, "known", new TreeSet<>(known)));
    }
    return new EngineSettings(engine, new LinkedHashMap<>(settings), Set.copyOf(known));
  }

  /** Whether the setting was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The setting as given, or null when absent. */
  public String get(String name) {
    return values.get(name);
  }

  /**
   * The setting, which must be given and not blank.
   *
   * @throws InvalidArgumentException "engine setting NAME is required"
   */
  public String required(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      throw new InvalidArgumentException("engine setting " + name + " is required",
          Map.of("engine", engine, "known", new TreeSet<>(known)));
    }
    return v;
  }

  /**
   * The setting as a {@code long} (surrounding blanks ignored), or {@code fallback} when absent.
   *
   * @throws InvalidArgumentException "malformed engine setting" if it is not an integer
   */
  public long getLong(String name, long fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw malformed(name, "an integer", e);
    }
  }

  /**
   * The setting as an {@code int}, or {@code fallback} when absent.
   *
   * @throws InvalidArgumentException "malformed engine setting" if it is not an integer that fits
   *     an {@code int}
   */
  public int getInt(String name, int fallback) {
    long v = getLong(name, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw malformed(name, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, null);
    }
    return (int) v;
  }

  /**
   * The setting as a boolean ({@code true} or {@code false}, any case), or {@code fallback}.
   *
   * @throws InvalidArgumentException "malformed engine setting" for any other value
   */
  public boolean getBoolean(String name, boolean fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw malformed(name, "true|false", null);
    };
  }

  /**
   * The error for a setting whose value is not what {@code expected} describes.
   *
   * @param cause the parse failure, or null
   */
  public InvalidArgumentException malformed(String name, String expected, Throwable cause) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("engine", engine);
    context.put("setting", name);
    context.put("value", String.valueOf(values.get(name)));
    context.put("expected", expected);
    return new InvalidArgumentException("malformed engine setting", context, cause);
  }
}
