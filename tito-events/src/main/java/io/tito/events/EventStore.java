package io.tito.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.Transaction;
import io.tito.internal.events.EventKeys;
import io.tito.internal.events.EventRows;
import io.tito.internal.events.GlobalOrder;
import io.tito.internal.events.StampFloor;
import io.tito.internal.events.StreamHeader;
import io.tito.internal.events.StreamPositions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event store of one {@link Tito} store: streams of events with dense versions, one global,
 * commit-ordered log of every event ({@code $all}), idempotent appends, stream aliases, and the
 * base of {@link AggregateRepository aggregates}.
 *
 * <pre>{@code
 * Tito tito = Tito.builder().url("rocksdb:data").with(EventStore.builder()).build();
 * EventStore events = tito.module(EventStore.class);
 * events.append("order-42", ExpectedVersion.NO_STREAM, EventData.of("OrderPlaced", placed));
 * StreamSlice page = events.readStream("order-42", 1, 100);
 * AllSlice all = events.readAll(Stamp.ZERO, 500, EventFilter.ALL);   // then from all.lastPosition()
 * }</pre>
 *
 * <p><b>Global order.</b> Every event gets a position in {@code $all}, a {@link Stamp}. Positions
 * increase in the order in which readers see commits: once a reader has seen position {@code p},
 * no event can later appear below {@code p}, so a reader that resumes after the last position it
 * read never skips an event whose transaction committed late. On engines with {@link
 * io.tito.spi.Capability#COMMIT_ORDERED_KEYS} the engine stamps positions at commit and appends
 * to different streams never conflict; on the others (etcd) the store falls back to one global
 * sequence key, which serialises appends ({@link #usesCommitStamps()} tells which). Positions are
 * ordered and unique, not dense.
 *
 * <p><b>Transactions.</b> Every method has a variant taking the caller's {@link Transaction}: the
 * events then commit (or not) with the caller's other writes (records, outbox events), and the
 * result carries no position yet. The other variants run their own transaction with the store's
 * retry policy.
 *
 * <p><b>Limits.</b> Stream ids, event types, aliases and idempotency keys are 1 to {@value
 * #MAX_NAME_LENGTH} chars; payloads must be well-formed JSON and fit the engine's value size; an
 * append holds at most {@link Builder#maxEventsPerAppend} events (default {@value
 * #DEFAULT_MAX_EVENTS_PER_APPEND}) and a read at most {@value #MAX_READ_COUNT}. Bad input throws
 * {@link InvalidArgumentException} or {@link io.tito.LimitExceededException} before anything is
 * written. Thread-safe; one per Tito store.
 */
public final class EventStore {

  /** Longest stream id, event type, alias or idempotency key, in chars. */
  public static final int MAX_NAME_LENGTH = 256;
  /** Default of {@link Builder#maxEventsPerAppend}. */
  public static final int DEFAULT_MAX_EVENTS_PER_APPEND = 1000;
  /** Default of {@link Builder#knownStreamHeads} on engines that defer expectations. */
  public static final int DEFAULT_KNOWN_STREAM_HEADS = 10_000;
  /** Default of {@link Builder#wakeUpInterval}: 10 ms. */
  public static final java.time.Duration DEFAULT_WAKE_UP_INTERVAL = java.time.Duration.ofMillis(10);
  /** Most events one read returns. */
  public static final int MAX_READ_COUNT = 10_000;
  /**
   * The hidden pub/sub topic that holds the consumer groups (checkpoints, leases, dead letters) of
   * projections and subscriptions; its own log stays empty (they read {@code $all}). Operator
   * tools use {@link Projections} and {@link EventSubscriptions} for these groups.
   */
  public static final String CONSUMER_TOPIC = "$events";
  /** As {@code fromVersion} of a backward read: from the stream's last event. */
  public static final long END = Long.MAX_VALUE;

  private final Tito tito;
  private final EventKeys keys;
  private final ObjectMapper mapper;
  private final GlobalOrder order;
  private final Appender appender;
  private final StreamHeads heads;
  private final Reader reader;
  private final Consumers consumers;
  private final Projections projections;
  private final EventSubscriptions subscriptions;

  private EventStore(Builder b, Tito tito) {
    this.tito = tito;
    this.keys = new EventKeys(tito.root());
    this.mapper = b.mapper;
    this.order = GlobalOrder.forEngine(tito.engine(), keys);
    if (order.stamped()) {
      // Entries restored or copied from elsewhere may be stamped above what the engine gives
      // next: new appends must sort after them (see StampFloor).
      StampFloor.raiseAboveStored(tito.engine(), keys);
    }
    this.heads = new StreamHeads(b.knownStreamHeads >= 0 ? b.knownStreamHeads
        : tito.engine().capabilities().contains(io.tito.spi.Capability.DEFERRED_EXPECTATIONS)
            ? DEFAULT_KNOWN_STREAM_HEADS : 0);
    this.appender = new Appender(keys, order, mapper, tito.clock(), b.maxEventsPerAppend, heads);
    this.reader = new Reader(keys, mapper, heads);
    this.consumers = new Consumers(tito, keys, b.wakeUpInterval);
    this.projections = new Projections(this, consumers);
    this.subscriptions = new EventSubscriptions(this, consumers);
  }

  /** Projections of this store: read models folded from {@code $all}, exactly once. */
  public Projections projections() {
    return projections;
  }

  /** Subscriptions of this store: consumer groups over {@code $all}. */
  public EventSubscriptions subscriptions() {
    return subscriptions;
  }

  /** Settings of an event store, registered with {@code Tito.builder().with(EventStore.builder())}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Tito store underneath. */
  public Tito tito() {
    return tito;
  }

  /** The Jackson mapper for payloads and snapshots. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** Whether positions come from engine commit stamps (else from the fallback sequence key). */
  public boolean usesCommitStamps() {
    return order.stamped();
  }

  // ---- appends

  /** Appends {@code events} to {@code streamId} in a transaction of its own. See {@link #append(AppendRequest)}. */
  public AppendResult append(String streamId, ExpectedVersion expected, EventData... events) {
    return append(AppendRequest.of(streamId, expected, events == null ? null : List.of(events)));
  }

  /**
   * Appends in a transaction of its own (retried on conflicts; the expected version is checked
   * again on each attempt).
   *
   * @return the versions and the first event's position
   * @throws WrongExpectedVersionException if the stream's version does not match
   * @throws StreamDeletedException if the stream was tombstoned
   * @throws IdempotencyConflictException if the idempotency key or event ids were used with other content
   * @throws InvalidArgumentException if the request is invalid (see the class comment)
   */
  public AppendResult append(AppendRequest request) {
    AtomicReference<Stamp> first = new AtomicReference<>();
    AppendResult r = tito.transaction(tx -> {
      Appender.Done done = appender.append(tx, request, true);
      if (!done.result().duplicate()) {
        consumers.wakeOnCommit(tx);
      }
      if (done.pending() != null) {
        tx.afterCommit(() -> first.set(done.pending().resolve(tx)));
      }
      return done.result();
    });
    return r.duplicate() ? r
        : new AppendResult(r.streamId(), r.firstVersion(), r.lastVersion(), first.get(), false);
  }

  /**
   * Appends in the caller's transaction: the events exist iff it commits. The result's position
   * is null (fixed at commit); versions are final if it commits. Same errors as {@link
   * #append(AppendRequest)}; a failed append writes nothing.
   */
  public AppendResult append(Transaction tx, AppendRequest request) {
    return appendRecorded(tx, request).result();
  }

  /** An append in the caller's transaction and its events as a read in it would return them. */
  record Recorded(AppendResult result, List<RecordedEvent> events) {}

  /**
   * {@link #append(Transaction, AppendRequest)}, also returning the appended events as {@link
   * #readStream} in {@code tx} would (no position yet; created-at at the stored precision),
   * without reading them back (empty for a recognised retry).
   */
  Recorded appendRecorded(Transaction tx, AppendRequest request) {
    requireTx(tx);
    Appender.Done done = tx.savepoint(() -> appender.append(tx, request, false));
    AppendResult r = done.result();
    if (!r.duplicate()) {
      consumers.wakeOnCommit(tx);
    }
    List<RecordedEvent> events = new ArrayList<>();
    if (done.events() != null) {
      long v = r.firstVersion();
      for (io.tito.internal.events.StoredEvent e : done.events()) {
        events.add(reader.toRecorded(r.streamId(), v++, null, e.withStoredPrecision()));
      }
    }
    // Same on every engine: a position counts only once committed.
    return new Recorded(new AppendResult(r.streamId(), r.firstVersion(), r.lastVersion(), null,
        r.duplicate()), events);
  }

  // ---- reads

  /** The state of a stream (version 0 if it has no event). */
  public StreamInfo streamInfo(String streamId) {
    checkName(streamId, "streamId");
    return tito.read(tx -> reader.info(tx, streamId));
  }

  /** {@link #streamInfo(String)} in the caller's transaction. */
  public StreamInfo streamInfo(Transaction tx, String streamId) {
    requireTx(tx);
    checkName(streamId, "streamId");
    return reader.info(tx, streamId);
  }

  /** Reads forward from {@code fromVersion}, at most {@code maxCount} events. */
  public StreamSlice readStream(String streamId, long fromVersion, int maxCount) {
    return readStream(streamId, fromVersion, maxCount, false, EventFilter.ALL);
  }

  /** Reads backward from {@code fromVersion} ({@link #END}: the last event), at most {@code maxCount}. */
  public StreamSlice readStreamBackward(String streamId, long fromVersion, int maxCount) {
    return readStream(streamId, fromVersion, maxCount, true, EventFilter.ALL);
  }

  /**
   * Reads one stream from {@code fromVersion} (inclusive) in one snapshot. A page holds at most
   * {@code maxCount} events; with a type filter it may hold fewer while more follow (continue
   * from {@link StreamSlice#nextVersion} until {@link StreamSlice#isEnd}). Truncated events are
   * skipped. A stream never written reads as empty.
   *
   * @throws StreamDeletedException if the stream was tombstoned
   * @throws InvalidArgumentException if {@code maxCount} is not in {@code 1..}{@value #MAX_READ_COUNT},
   *     {@code fromVersion} is negative, or an argument is null
   */
  public StreamSlice readStream(String streamId, long fromVersion, int maxCount, boolean backward,
      EventFilter filter) {
    checkRead(streamId, fromVersion, maxCount, filter);
    return tito.read(tx -> reader.stream(tx, streamId, fromVersion, maxCount, backward, filter));
  }

  /** {@link #readStream(String, long, int, boolean, EventFilter)} in the caller's transaction. */
  public StreamSlice readStream(Transaction tx, String streamId, long fromVersion, int maxCount, boolean backward,
      EventFilter filter) {
    requireTx(tx);
    checkRead(streamId, fromVersion, maxCount, filter);
    return reader.stream(tx, streamId, fromVersion, maxCount, backward, filter);
  }

  /**
   * A forward page of every event of {@code streamId} from {@code fromVersion}, its header read
   * already in {@code tx} ({@code rawHeader}: null if absent), so that a caller reading other keys
   * with it saves the header's read.
   */
  StreamSlice readStreamWithHeader(Transaction tx, String streamId, byte[] rawHeader, long fromVersion,
      int maxCount) {
    checkRead(streamId, fromVersion, maxCount, EventFilter.ALL);
    return reader.stream(tx, streamId, rawHeader, fromVersion, maxCount);
  }

  /**
   * Reads {@code $all} after {@code after} (exclusive; {@link Stamp#ZERO} for the beginning) in
   * position order, at most {@code maxCount} events that pass {@code filter}, in one snapshot.
   * Continue from the slice's {@link AllSlice#lastPosition()}: that never skips an event, even one
   * whose transaction commits after this read (it gets a higher position). Events of tombstoned
   * streams and truncated events are left out. The read includes every append that committed
   * before the call: where the engine's stamp horizon can trail its commits (PostgreSQL, while
   * commits of the store that began earlier are in flight), it waits for them, at most two
   * seconds; past that it answers without the entries still held (exact, and continuing from its
   * last position reads them later).
   *
   * @throws InvalidArgumentException if {@code maxCount} is not in {@code 1..}{@value #MAX_READ_COUNT}
   *     or an argument is null
   */
  public AllSlice readAll(Stamp after, int maxCount, EventFilter filter) {
    checkAll(after, maxCount, filter);
    return settled(tx -> reader.all(tx, after, maxCount, filter));
  }

  /**
   * {@link #readAll(Stamp, int, EventFilter)} in the caller's transaction: a projection reads,
   * writes its read model and its checkpoint in one transaction.
   */
  public AllSlice readAll(Transaction tx, Stamp after, int maxCount, EventFilter filter) {
    requireTx(tx);
    checkAll(after, maxCount, filter);
    return reader.all(tx, after, maxCount, filter);
  }

  /**
   * The highest position in {@code $all}, or {@link Stamp#ZERO} if empty. Like {@link
   * #readAll(Stamp, int, EventFilter)}, it includes every append that committed before the call
   * (see there).
   */
  public Stamp headPosition() {
    return settled(reader::head);
  }

  /** How long {@link #settled} waits at most for the store's commits in flight to end. */
  static final long SETTLE_MILLIS = 2_000;

  /**
   * Runs {@code read} in a read transaction whose {@linkplain Transaction#stampHorizon stamp
   * horizon} is above every {@code $all} entry that had committed when the call began: on an
   * engine whose horizon can trail its commits (PostgreSQL: the store's commits in flight hold
   * it), a first snapshot holding entries at or above its horizon is followed by fresh ones until
   * the horizon passes the highest of them, waiting at most {@link #SETTLE_MILLIS} (then the last
   * answer, exact but without those entries). Later appends never prolong the wait: they stamp
   * above that entry. Engines whose horizon is {@link Stamp#MAX} answer from the first snapshot.
   */
  private <T> T settled(java.util.function.Function<Transaction, T> read) {
    record Attempt<T>(T value, Stamp horizon, Stamp top) {}
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    Stamp target = null;
    long pauseMillis = 1;
    while (true) {
      Attempt<T> a = tito.read(tx -> {
        Stamp horizon = tx.stampHorizon();
        T value = read.apply(tx);
        return new Attempt<>(value, horizon, horizon.equals(Stamp.MAX) ? Stamp.ZERO : reader.top(tx));
      });
      if (target == null) {
        target = a.top();
      }
      if (a.horizon().compareTo(target) > 0 || System.nanoTime() - deadline >= 0) {
        return a.value();
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return a.value();
      }
      pauseMillis = Math.min(10, pauseMillis * 2);
    }
  }

  /** {@link #headPosition()} in the caller's transaction. */
  public Stamp headPosition(Transaction tx) {
    requireTx(tx);
    return reader.head(tx);
  }

  // ---- stream maintenance

  /**
   * Deletes a stream for good: its events are removed (from {@code $all} reads too), later
   * appends throw {@link StreamDeletedException}, reads throw it too. Idempotent.
   */
  public void tombstone(String streamId) {
    checkName(streamId, "streamId");
    tito.inTransaction(tx -> tombstone(tx, streamId));
  }

  /** {@link #tombstone(String)} in the caller's transaction. */
  public void tombstone(Transaction tx, String streamId) {
    requireTx(tx);
    checkName(streamId, "streamId");
    StreamHeader h = StreamHeader.decode(tx.get(keys.header(streamId)));
    if (h.deleted()) {
      return;
    }
    StreamPositions.removeBelow(tx, keys, streamId, h.truncatedBefore(), Long.MAX_VALUE);
    tx.clearRange(keys.allEvents(streamId));
    byte[] header = new StreamHeader(h.version(), h.version() + 1, true).encode();
    tx.set(keys.header(streamId), header);
    tx.afterCommit(() -> heads.put(streamId, header));
  }

  /**
   * Removes the events below {@code beforeVersion}; the stream keeps its version and takes
   * appends as before. Truncating below the current truncation point does nothing.
   *
   * @throws InvalidArgumentException if {@code beforeVersion} is below 1 or above the stream's version + 1
   * @throws StreamDeletedException if the stream was tombstoned
   */
  public void truncateBefore(String streamId, long beforeVersion) {
    checkName(streamId, "streamId");
    tito.inTransaction(tx -> truncateBefore(tx, streamId, beforeVersion));
  }

  /** {@link #truncateBefore(String, long)} in the caller's transaction. */
  public void truncateBefore(Transaction tx, String streamId, long beforeVersion) {
    requireTx(tx);
    checkName(streamId, "streamId");
    StreamHeader h = StreamHeader.decode(tx.get(keys.header(streamId)));
    if (h.deleted()) {
      throw new StreamDeletedException(streamId);
    }
    if (beforeVersion < 1 || beforeVersion > h.version() + 1) {
      throw new InvalidArgumentException("truncation version out of range",
          Map.of("stream", streamId, "beforeVersion", beforeVersion, "streamVersion", h.version()));
    }
    if (beforeVersion <= h.truncatedBefore()) {
      return;
    }
    StreamPositions.removeBelow(tx, keys, streamId, h.truncatedBefore(), beforeVersion);
    EventRows.removeBelow(tx, keys, streamId, beforeVersion);
    byte[] header = new StreamHeader(h.version(), beforeVersion, false).encode();
    tx.set(keys.header(streamId), header);
    tx.afterCommit(() -> heads.put(streamId, header));
  }

  // ---- aliases

  /**
   * The stream id of alias {@code name} (for example {@code "orders:42"}), created on first use
   * (a new random id). Concurrent first uses agree: they race on one key, the losers retry and
   * read the winner's id.
   */
  public String resolveAlias(String name) {
    checkName(name, "alias");
    return tito.transaction(tx -> resolveAlias(tx, name));
  }

  /** {@link #resolveAlias(String)} in the caller's transaction. */
  public String resolveAlias(Transaction tx, String name) {
    requireTx(tx);
    checkName(name, "alias");
    byte[] k = keys.alias(name);
    byte[] v = tx.get(k);
    if (v != null) {
      return io.tito.tuple.Tuple.unpack(v).getString(0);
    }
    String id = UUID.randomUUID().toString();
    tx.set(k, io.tito.tuple.Tuple.of(id).pack());
    return id;
  }

  /** The stream id of alias {@code name}, or null if it was never used. */
  public String findAlias(String name) {
    checkName(name, "alias");
    return tito.read(tx -> {
      byte[] v = tx.get(keys.alias(name));
      return v == null ? null : io.tito.tuple.Tuple.unpack(v).getString(0);
    });
  }

  // ---- package

  EventKeys keys() {
    return keys;
  }

  Reader reader() {
    return reader;
  }

  static void checkName(String value, String what) {
    if (value == null || value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
      throw new InvalidArgumentException(what + " must have 1 to " + MAX_NAME_LENGTH + " chars",
          Map.of(what, String.valueOf(value)));
    }
  }

  private static void checkRead(String streamId, long fromVersion, int maxCount, EventFilter filter) {
    checkName(streamId, "streamId");
    checkCount(maxCount);
    if (fromVersion < 0 || filter == null) {
      throw new InvalidArgumentException("fromVersion must not be negative and filter not null",
          Map.of("stream", streamId, "fromVersion", fromVersion));
    }
  }

  private static void checkAll(Stamp after, int maxCount, EventFilter filter) {
    checkCount(maxCount);
    if (after == null || filter == null) {
      throw new InvalidArgumentException("position and filter must not be null", Map.of());
    }
  }

  private static void checkCount(int maxCount) {
    if (maxCount < 1 || maxCount > MAX_READ_COUNT) {
      throw new InvalidArgumentException("maxCount must be 1 to " + MAX_READ_COUNT, Map.of("maxCount", maxCount));
    }
  }

  private static void requireTx(Transaction tx) {
    if (tx == null) {
      throw new InvalidArgumentException("transaction must not be null", Map.of());
    }
  }

  /** Settings of an {@link EventStore}: a {@link TitoModule}. Not thread-safe. */
  public static final class Builder implements TitoModule<EventStore> {
    private ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    private int maxEventsPerAppend = DEFAULT_MAX_EVENTS_PER_APPEND;
    private java.time.Duration wakeUpInterval = DEFAULT_WAKE_UP_INTERVAL;
    private int knownStreamHeads = -1; // by the engine

    private Builder() {}

    /**
     * How many streams' headers this process remembers from its own appends and read-only reads
     * (default: {@value #DEFAULT_KNOWN_STREAM_HEADS} on engines with {@link
     * io.tito.spi.Capability#DEFERRED_EXPECTATIONS} (PostgreSQL), 0 elsewhere, where checking a
     * remembered header costs the read it saves; 0: none). The next append to a remembered stream does not
     * read the header first: it {@linkplain Transaction#expect expects} the remembered one, which
     * the commit checks (on PostgreSQL inside the commit's one round trip, saving one of an
     * append's two). A stream appended to by another process since fails that check once, and
     * the append is retried with a read (in a caller's transaction: the caller's retry). Each
     * entry costs about 100 bytes plus the stream id.
     */
    public Builder knownStreamHeads(int value) {
      if (value < 0 || value > 10_000_000) {
        throw new InvalidArgumentException("setting knownStreamHeads must be 0 to 10,000,000",
            Map.of("setting", "knownStreamHeads", "value", value));
      }
      this.knownStreamHeads = value;
      return this;
    }

    /**
     * How often, at most, append commits notify consumers in other processes through the engine's
     * notification channel (PostgreSQL {@code NOTIFY}); default {@code 10 ms}. Consumers in this
     * process are woken after every commit regardless. Between two notifying commits the others
     * send none; one notification wakes readers for every commit before it, and a commit left
     * without one is notified by a timer once appends paused for five intervals. {@link java.time.Duration#ZERO}:
     * every append commit notifies. At most 1 s.
     */
    public Builder wakeUpInterval(java.time.Duration value) {
      if (value == null || value.isNegative() || value.compareTo(java.time.Duration.ofSeconds(1)) > 0) {
        throw new InvalidArgumentException("setting wakeUpInterval must be 0 to 1 s",
            Map.of("setting", "wakeUpInterval", "value", String.valueOf(value)));
      }
      this.wakeUpInterval = value;
      return this;
    }

    /** The Jackson mapper for payload objects and snapshots (default: a new one with the modules found). */
    public Builder mapper(ObjectMapper value) {
      if (value == null) {
        throw new InvalidArgumentException("setting mapper must not be null", Map.of("setting", "mapper"));
      }
      this.mapper = value;
      return this;
    }

    /**
     * Most events in one append (default {@value #DEFAULT_MAX_EVENTS_PER_APPEND}; at most
     * {@code Stamp.MAX_ORDER}, 65,535: an append takes one stamp per event and one for its
     * position reference). The engine's transaction size limit applies as well.
     */
    public Builder maxEventsPerAppend(int value) {
      if (value < 1 || value > Stamp.MAX_ORDER) {
        throw new InvalidArgumentException("setting maxEventsPerAppend out of range",
            Map.of("setting", "maxEventsPerAppend", "value", value, "max", Stamp.MAX_ORDER));
      }
      this.maxEventsPerAppend = value;
      return this;
    }

    @Override
    public Class<EventStore> type() {
      return EventStore.class;
    }

    /** Opens the event store on {@code tito} (see {@link TitoModule#open}). */
    @Override
    public EventStore open(Tito tito) {
      if (tito == null) {
        throw new InvalidArgumentException("tito must not be null", Map.of());
      }
      return new EventStore(this, tito);
    }
  }
}
