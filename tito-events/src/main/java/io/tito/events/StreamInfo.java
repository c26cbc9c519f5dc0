package io.tito.events;

/**
 * A stream's state.
 *
 * @param streamId the stream
 * @param version its last event's version (0: no event)
 * @param truncatedBefore the first version still stored (1 unless truncated)
 * @param deleted whether the stream was tombstoned
 */
public record StreamInfo(String streamId, long version, long truncatedBefore, boolean deleted) {

  /** Whether the stream has ever had an event. */
  public boolean exists() {
    return version > 0;
  }
}
