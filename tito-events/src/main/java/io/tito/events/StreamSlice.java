package io.tito.events;

import java.util.List;

/**
 * A page of one stream.
 *
 * @param streamId the stream
 * @param events the events read, in the direction of the read
 * @param nextVersion the version to pass to the next read in the same direction, or {@code -1}
 *     when the end (forward: the stream's last event; backward: its first) was reached
 * @param streamVersion the stream's version in the read's snapshot (0: no event)
 */
public record StreamSlice(String streamId, List<RecordedEvent> events, long nextVersion, long streamVersion) {

  public StreamSlice {
    events = List.copyOf(events);
  }

  /** Whether no more events lie in the read's direction. */
  public boolean isEnd() {
    return nextVersion < 0;
  }
}
