package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.internal.events.EventKeys;
import io.tito.tuple.Tuple;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Loads and commits aggregates of one {@link Aggregate} kind.
 *
 * <p>{@link #load} reads the latest snapshot (if its schema version is the aggregate's) and
 * applies the events after it. {@link #commit} appends new events with the loaded version as
 * expected version (a concurrent commit makes it fail with {@link WrongExpectedVersionException}:
 * load again and decide again), applies them, lets the {@linkplain Builder#validator validator}
 * refuse the new state (nothing is written then), and takes a snapshot in the same transaction
 * when the stream version crosses a multiple of {@linkplain Builder#snapshotEvery snapshotEvery}.
 * Streams committed without an inline snapshot are queued for the {@link Snapshotter}.
 *
 * <p>Thread-safe.
 *
 * @param <S> the aggregate's state type
 */
public final class AggregateRepository<S> {

  /** Refuses a new state by throwing (any runtime exception; it reaches the caller unchanged). */
  @FunctionalInterface
  public interface Validator<S> {
    /** Checks the state {@code events} lead to; throws to refuse the commit. */
    void validate(S newState, List<RecordedEvent> events);
  }

  private static final int PAGE = 1000;

  private final EventStore store;
  private final Aggregate<S> aggregate;
  private final Validator<S> validator;
  private final long snapshotEvery;
  private final EventKeys keys;

  private AggregateRepository(Builder<S> b) {
    this.store = b.store;
    this.aggregate = b.aggregate;
    this.validator = b.validator;
    this.snapshotEvery = b.snapshotEvery;
    this.keys = store.keys();
  }

  /** A repository of {@code aggregate} over {@code store}. */
  public static <S> Builder<S> builder(EventStore store, Aggregate<S> aggregate) {
    return new Builder<>(store, aggregate);
  }

  /** The aggregate kind. */
  public Aggregate<S> aggregate() {
    return aggregate;
  }

  /** The event store. */
  public EventStore store() {
    return store;
  }

  /**
   * Loads the aggregate of {@code streamId} (its initial state at version 0 if the stream has no
   * event), from its latest usable snapshot plus the events after it, in one snapshot of the store.
   *
   * @throws StreamDeletedException if the stream was tombstoned
   */
  public Loaded<S> load(String streamId) {
    EventStore.checkName(streamId, "streamId");
    return store.tito().read(tx -> load(tx, streamId));
  }

  /** {@link #load(String)} in the caller's transaction. */
  public Loaded<S> load(Transaction tx, String streamId) {
    EventStore.checkName(streamId, "streamId");
    S state = aggregate.initialState();
    long version = 0;
    // The snapshot and the stream's header in one read: the first page needs the header.
    List<byte[]> read = tx.getAll(List.of(keys.snapshot(aggregate.name(), streamId), keys.header(streamId)));
    byte[] snap = read.get(0);
    if (snap != null) {
      Tuple t = Tuple.unpack(snap);
      if (t.getLong(0) == aggregate.schemaVersion()) {
        state = readState(t.getBytes(2), streamId);
        version = t.getLong(1);
      }
    }
    long snapshotVersion = version;
    StreamSlice first = store.readStreamWithHeader(tx, streamId, read.get(1), version + 1, PAGE);
    return replay(tx, streamId, state, version, snapshotVersion, first);
  }

  /** Loads from scratch, ignoring snapshots (to check them, or after a schema change). */
  public Loaded<S> loadFromEvents(String streamId) {
    EventStore.checkName(streamId, "streamId");
    return store.tito().read(tx -> replay(tx, streamId, aggregate.initialState(), 0, 0, null));
  }

  /** Applies the events after {@code version}, starting with {@code first} if read already. */
  private Loaded<S> replay(Transaction tx, String streamId, S state, long version, long snapshotVersion,
      StreamSlice first) {
    long from = version + 1;
    StreamSlice read = first;
    while (true) {
      StreamSlice page = read != null ? read : store.readStream(tx, streamId, from, PAGE, false, EventFilter.ALL);
      read = null;
      for (RecordedEvent e : page.events()) {
        state = aggregate.apply(state, e);
        version = e.version();
      }
      if (page.isEnd()) {
        return new Loaded<>(streamId, state, version, snapshotVersion);
      }
      from = page.nextVersion();
    }
  }

  /** {@link #commit(Transaction, Loaded, List)} in a transaction of its own. */
  public Loaded<S> commit(Loaded<S> loaded, List<EventData> events) {
    return store.tito().transaction(tx -> commit(tx, loaded, events));
  }

  /**
   * Appends {@code events} to the loaded aggregate's stream, expecting its loaded version, and
   * returns the aggregate after them.
   *
   * @throws WrongExpectedVersionException if the stream moved since the load
   * @throws InvalidArgumentException if {@code loaded} or {@code events} is null or empty
   * @throws RuntimeException whatever the validator throws to refuse the new state (nothing written)
   */
  public Loaded<S> commit(Transaction tx, Loaded<S> loaded, List<EventData> events) {
    if (loaded == null || events == null || events.isEmpty()) {
      throw new InvalidArgumentException("commit needs a loaded aggregate and at least one event", Map.of());
    }
    return tx.savepoint(() -> {
      // The events as the transaction would read them back, without a read (a round trip on a
      // server engine).
      EventStore.Recorded appended = store.appendRecorded(tx, AppendRequest.of(loaded.streamId(),
          ExpectedVersion.exact(loaded.version()), events));
      AppendResult r = appended.result();
      List<RecordedEvent> written = appended.events();
      S state = loaded.state();
      for (RecordedEvent e : written) {
        state = aggregate.apply(state, e);
      }
      if (validator != null) {
        validator.validate(state, written);
      }
      long snapshotVersion = loaded.snapshotVersion();
      if (snapshotEvery > 0 && r.lastVersion() / snapshotEvery > loaded.version() / snapshotEvery) {
        writeSnapshot(tx, loaded.streamId(), state, r.lastVersion());
        snapshotVersion = r.lastVersion();
      } else {
        tx.set(keys.due(aggregate.name(), loaded.streamId()), Tuple.of(r.lastVersion(), snapshotVersion).pack());
      }
      return new Loaded<>(loaded.streamId(), state, r.lastVersion(), snapshotVersion);
    });
  }

  /** Writes a snapshot of {@code state} at {@code version} now, in the caller's transaction. */
  public void writeSnapshot(Transaction tx, String streamId, S state, long version) {
    byte[] json;
    try {
      json = store.mapper().writeValueAsBytes(state);
    } catch (IOException e) {
      throw new InvalidArgumentException("aggregate state cannot be serialised",
          Map.of("aggregate", aggregate.name(), "stream", streamId, "reason", String.valueOf(e.getMessage())));
    }
    tx.set(keys.snapshot(aggregate.name(), streamId), Tuple.of((long) aggregate.schemaVersion(), version, json).pack());
    tx.clear(keys.due(aggregate.name(), streamId));
  }

  private S readState(byte[] json, String streamId) {
    try {
      return store.mapper().readValue(json, aggregate.stateType());
    } catch (IOException e) {
      throw new InvalidArgumentException("snapshot cannot be read as " + aggregate.stateType().getName(),
          Map.of("aggregate", aggregate.name(), "stream", streamId, "reason", String.valueOf(e.getMessage())));
    }
  }

  /** Settings of an {@link AggregateRepository}. Not thread-safe. */
  public static final class Builder<S> {
    private final EventStore store;
    private final Aggregate<S> aggregate;
    private Validator<S> validator;
    private long snapshotEvery;

    private Builder(EventStore store, Aggregate<S> aggregate) {
      if (store == null || aggregate == null) {
        throw new InvalidArgumentException("store and aggregate must not be null", Map.of());
      }
      EventStore.checkName(aggregate.name(), "aggregate");
      this.store = store;
      this.aggregate = aggregate;
    }

    /** Checks every new state before commit (default: none). */
    public Builder<S> validator(Validator<S> value) {
      this.validator = value;
      return this;
    }

    /** Snapshot in the commit that crosses a multiple of {@code n} versions (default 0: never inline). */
    public Builder<S> snapshotEvery(long n) {
      if (n < 0) {
        throw new InvalidArgumentException("setting snapshotEvery must not be negative",
            Map.of("setting", "snapshotEvery", "value", n));
      }
      this.snapshotEvery = n;
      return this;
    }

    public AggregateRepository<S> build() {
      return new AggregateRepository<>(this);
    }
  }
}
