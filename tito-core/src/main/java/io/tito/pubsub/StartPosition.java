package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import java.time.Instant;
import java.util.Map;

/**
 * Where a consumer group that has never consumed a topic starts. Only used the first time a group
 * subscribes; afterwards its checkpoints decide.
 *
 * @param kind earliest retained event, latest (only events committed after registration), or
 *     the first event published at or after {@code time}
 * @param time the instant for {@link Kind#TIME}, else null
 */
public record StartPosition(Kind kind, Instant time) {

  /** The kinds of start positions. */
  public enum Kind { EARLIEST, LATEST, TIME }

  /** The earliest event still retained. */
  public static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, null);

  /** Only events committed after the group registered. */
  public static final StartPosition LATEST = new StartPosition(Kind.LATEST, null);

  public StartPosition {
    if (kind == null || (kind == Kind.TIME) != (time != null)) {
      throw new InvalidArgumentException("a start position needs a kind, and a time only for TIME",
          Map.of("setting", kind == null ? "kind" : "time", "kind", String.valueOf(kind),
              "time", String.valueOf(time)));
    }
  }

  /** The first event whose publish time is at or after {@code time}. */
  public static StartPosition at(Instant time) {
    return new StartPosition(Kind.TIME, time);
  }
}
