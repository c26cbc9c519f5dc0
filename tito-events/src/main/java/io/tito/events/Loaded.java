package io.tito.events;

/**
 * A loaded aggregate: its state at a stream version.
 *
 * @param streamId the aggregate's stream
 * @param state the state after every event up to {@code version}
 * @param version the stream version the state reflects (0: no event); the expected version of the
 *     next {@link AggregateRepository#commit}
 * @param snapshotVersion the version of the snapshot the load started from (0: none)
 */
public record Loaded<S>(String streamId, S state, long version, long snapshotVersion) {}
