package io.tito.events;

import io.tito.InvalidArgumentException;
import java.util.Map;

/**
 * What an append expects of its stream's current version (the version of its last event; a
 * stream's versions are 1, 2, 3, ...). A mismatch throws {@link WrongExpectedVersionException}.
 *
 * @param kind which check
 * @param version the exact version for {@link Kind#EXACT}, else {@code -1}
 */
public record ExpectedVersion(Kind kind, long version) {

  /** The kinds of check. */
  public enum Kind {
    /** No check. */
    ANY,
    /** The stream has no event yet (and was never deleted). */
    NO_STREAM,
    /** The stream has at least one event. */
    STREAM_EXISTS,
    /** The stream's version is exactly {@link ExpectedVersion#version()} (0: no event yet). */
    EXACT
  }

  /** No check. */
  public static final ExpectedVersion ANY = new ExpectedVersion(Kind.ANY, -1);
  /** The stream must have no event. */
  public static final ExpectedVersion NO_STREAM = new ExpectedVersion(Kind.NO_STREAM, -1);
  /** The stream must have at least one event. */
  public static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion(Kind.STREAM_EXISTS, -1);

  /**
   * @throws InvalidArgumentException if {@code kind} is null, or the version does not fit it
   */
  public ExpectedVersion {
    if (kind == null || (kind == Kind.EXACT) != (version >= 0) || (kind != Kind.EXACT && version != -1)) {
      throw new InvalidArgumentException("invalid expected version",
          Map.of("kind", String.valueOf(kind), "version", version));
    }
  }

  /**
   * The stream's version must be exactly {@code version} (0 for a stream without events).
   *
   * @throws InvalidArgumentException if {@code version} is negative
   */
  public static ExpectedVersion exact(long version) {
    if (version < 0) {
      throw new InvalidArgumentException("expected version must not be negative", Map.of("version", version));
    }
    return new ExpectedVersion(Kind.EXACT, version);
  }

  /** Whether a stream at {@code actual} (0: no event) passes; {@code exists} tells a stream apart. */
  boolean accepts(long actual) {
    return switch (kind) {
      case ANY -> true;
      case NO_STREAM -> actual == 0;
      case STREAM_EXISTS -> actual > 0;
      case EXACT -> actual == version;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.EXACT ? String.valueOf(version) : kind.name();
  }
}
