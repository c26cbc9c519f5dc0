package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import java.time.Instant;
import java.util.Map;

/**
 * Where a new subscription group starts in {@code $all} (a known group goes on from its
 * checkpoint).
 *
 * @param kind where
 * @param position for {@link Kind#AFTER}: the position to start after
 * @param time for {@link Kind#TIME}: the first event created at or after it
 */
public record StartAt(Kind kind, Stamp position, Instant time) {

  /** Kinds of start. */
  public enum Kind { BEGINNING, END, AFTER, TIME }

  /** The first event of {@code $all}. */
  public static final StartAt BEGINNING = new StartAt(Kind.BEGINNING, null, null);
  /** Events appended after the group is created. */
  public static final StartAt END = new StartAt(Kind.END, null, null);

  public StartAt {
    if (kind == null || (kind == Kind.AFTER) != (position != null) || (kind == Kind.TIME) != (time != null)) {
      throw new InvalidArgumentException("start needs a kind, a position for AFTER, a time for TIME",
          Map.of("kind", String.valueOf(kind)));
    }
  }

  /** Events after {@code position} (for example a position a reader of {@code $all} saw last). */
  public static StartAt after(Stamp position) {
    return new StartAt(Kind.AFTER, position, null);
  }

  /**
   * The first event created at or after {@code time} and every one after it in {@code $all}.
   * Creation times come from the appenders' clocks: found by scanning {@code $all} from the
   * beginning, once, when the group is created.
   */
  public static StartAt time(Instant time) {
    return new StartAt(Kind.TIME, null, time);
  }
}
