package io.tito.events;

import io.tito.InvalidArgumentException;
import java.util.Map;
import java.util.Set;

/**
 * Which events a read returns: by event type and by stream-id prefix. Filtered-out events are
 * skipped, but a read of {@code $all} still reports how far it scanned, so a reader that
 * checkpoints the slice's {@linkplain AllSlice#lastPosition last position} never scans them again.
 *
 * @param types the event types to keep; empty: every type
 * @param streamPrefix keep only streams whose id starts with it; empty: every stream
 */
public record EventFilter(Set<String> types, String streamPrefix) {

  /** Everything. */
  public static final EventFilter ALL = new EventFilter(Set.of(), "");

  public EventFilter {
    if (types == null || streamPrefix == null) {
      throw new InvalidArgumentException("filter types and prefix must not be null", Map.of());
    }
    types = Set.copyOf(types);
  }

  /** Events of these types. */
  public static EventFilter types(String... values) {
    return new EventFilter(Set.of(values), "");
  }

  /** Events of streams whose id starts with {@code prefix}. */
  public static EventFilter streamPrefix(String prefix) {
    return new EventFilter(Set.of(), prefix);
  }

  /** This filter also requiring the stream prefix. */
  public EventFilter andStreamPrefix(String prefix) {
    return new EventFilter(types, prefix);
  }

  /** Whether an event of {@code type} in {@code stream} passes. */
  public boolean test(String stream, String type) {
    return (types.isEmpty() || types.contains(type)) && stream.startsWith(streamPrefix);
  }
}
