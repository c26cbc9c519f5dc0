package io.tito.events;

import io.tito.NotFoundException;
import java.util.Map;

/** The stream was {@linkplain EventStore#tombstone tombstoned}: it takes no more appends. */
public final class StreamDeletedException extends NotFoundException {

  private final String streamId;

  public StreamDeletedException(String streamId) {
    super("stream is deleted", Map.of("stream", streamId));
    this.streamId = streamId;
  }

  /** The deleted stream. */
  public String streamId() {
    return streamId;
  }
}
