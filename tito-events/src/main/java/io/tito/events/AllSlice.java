package io.tito.events;

import io.tito.Stamp;
import java.util.List;

/**
 * A page of {@code $all}.
 *
 * @param events the events read, in position order (each with its {@linkplain
 *     RecordedEvent#position() position})
 * @param lastPosition the last position scanned (passed over by filters or not), or the position
 *     read after when nothing was scanned: pass it to the next {@link EventStore#readAll} call
 * @param isEnd whether the scan reached the end of {@code $all} in the read's snapshot: false also when
 *     it stopped before entries that are not final yet (at or above the snapshot's {@linkplain
 *     io.tito.Transaction#stampHorizon() stamp horizon}: late committers may still land below them)
 */
public record AllSlice(List<RecordedEvent> events, Stamp lastPosition, boolean isEnd) {

  public AllSlice {
    events = List.copyOf(events);
  }
}
