package io.tito.internal.events;

import io.tito.KeyValueCursor;
import io.tito.Stamp;
import io.tito.Transaction;
import io.tito.internal.pubsub.EventCodec;
import io.tito.internal.pubsub.Lease;
import io.tito.internal.pubsub.LogReader;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * {@code $all} as a {@link LogReader} for one consumer group: entries at packed {@link Positions}.
 * An event that passes the filter is handed over whole ({@link ConsumedEvent} form); one that does
 * not, whose body is gone, or that was acked in a caller's transaction (an ack marker, see {@link
 * EventKeys#consumerAck}), as a skip marker, so that the consumer core
 * moves the checkpoint past it (a filtered view never stalls behind events it does not want). A
 * paused consumer reads nothing. Entries carry the consumer's generation as read in the same
 * transaction (a reset or rebuild bumps it). Thread-safe (no state).
 */
public final class AllLog implements LogReader {

  private final EventKeys keys;
  private final String group;
  private final BiPredicate<String, String> filter;
  /** Nothing after this position is read (a run that stops there), or null. */
  private final Stamp until;
  private final byte[] leaseKey;
  private final boolean ackMarkers;

  /**
   * @param filter stream id and type of the events to hand over
   * @param until the last position to read (inclusive), or null for no end
   * @param leaseKey the group's lease key: while its lease has no owner (a reset freed it) nothing
   *     is read, so that a worker fenced by the reset takes the lease again before it fetches
   * @param ackMarkers whether the group acks in callers' transactions (its ack markers are read)
   */
  public AllLog(EventKeys keys, String group, BiPredicate<String, String> filter, Stamp until,
      byte[] leaseKey, boolean ackMarkers) {
    this.keys = keys;
    this.group = group;
    this.filter = filter;
    this.until = until;
    this.leaseKey = leaseKey.clone();
    this.ackMarkers = ackMarkers;
  }

  /** Asks the stamp horizon first: an engine may bound it tighter before the transaction's first read. */
  @Override
  public void beforeReads(Transaction tx) {
    tx.stampHorizon();
  }

  @Override
  public List<Entry> read(Transaction tx, long from, int limit) {
    return readBatch(tx, from, limit).entries();
  }

  /**
   * Entries below the snapshot's stamp horizon only: those at or above it may still be joined by
   * late committers below them, so they are not read yet ({@code held} if one was met).
   */
  @Override
  public Batch readBatch(Transaction tx, long from, int limit) {
    Stamp horizon = tx.stampHorizon();
    List<byte[]> flags = tx.getAll(List.of(keys.consumerPaused(group), keys.consumerGeneration(group), leaseKey));
    if (flags.get(0) != null || Lease.decode(flags.get(2)).owner() == null) {
      return new Batch(List.of(), false);
    }
    long generation = flags.get(1) == null ? 0 : Tuple.unpack(flags.get(1)).getLong(0);
    List<Stamp> stamps = new ArrayList<>();
    List<AllEntry> entries = new ArrayList<>();
    boolean held = false;
    AllScan.Page page = AllScan.read(tx, keys, Positions.unpack(from), Stamp.MAX,
        Math.min(limit, io.tito.RangeRead.MAX_LIMIT));
    for (AllScan.Event ev : page.events()) {
      Stamp stamp = ev.position();
      if (entries.size() >= limit || (until != null && stamp.compareTo(until) > 0)) {
        break;
      }
      if (stamp.compareTo(horizon) >= 0) {
        held = true;
        break;
      }
      stamps.add(stamp);
      entries.add(ev.entry());
    }
    Set<Long> acked = !ackMarkers || stamps.isEmpty() ? Set.of() : ackedIn(tx, Positions.pack(stamps.get(0)),
        Positions.pack(stamps.get(stamps.size() - 1)) + 1);
    boolean[] wanted = new boolean[entries.size()];
    List<AllEntry> wantedEntries = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      AllEntry e = entries.get(i);
      wanted[i] = filter.test(e.stream(), e.type()) && !acked.contains(Positions.pack(stamps.get(i)));
      if (wanted[i]) {
        wantedEntries.add(e);
      }
    }
    List<byte[]> bodies = EventRows.bodies(tx, keys, wantedEntries);
    List<Entry> out = new ArrayList<>(entries.size());
    int b = 0;
    for (int i = 0; i < entries.size(); i++) {
      AllEntry e = entries.get(i);
      byte[] body = wanted[i] ? bodies.get(b++) : null;
      out.add(new Entry(Positions.pack(stamps.get(i)), ConsumedEvent.encode(e, body, generation)));
    }
    return new Batch(out, held);
  }

  /** Packed positions in {@code [from, to)} acked in a caller's transaction (handed over as skips). */
  private Set<Long> ackedIn(Transaction tx, long from, long to) {
    Set<Long> out = new HashSet<>();
    try (KeyValueCursor c = tx.scan(keys.consumerAcks(group, from, to))) {
      while (c.hasNext()) {
        out.add(keys.consumerAckPosition(c.next().key()));
      }
    }
    return out;
  }

  /** The consumer's generation read in {@code tx} (0 if never reset). */
  public static long generation(Transaction tx, EventKeys keys, String group) {
    byte[] v = tx.get(keys.consumerGeneration(group));
    return v == null ? 0 : Tuple.unpack(v).getLong(0);
  }

  /** Encoding of $all events for the consumer core, and back. */
  public static final class ConsumedEvent {

    /** Header: the event's version in its stream. */
    public static final String VERSION = "v";
    /** Header: the consumer generation at fetch (absent on requeued dead letters). */
    public static final String GENERATION = "g";
    /** Header present on skip markers. */
    public static final String SKIP = "skip";

    private ConsumedEvent() {}

    static byte[] encode(AllEntry e, byte[] body, long generation) {
      StoredEvent s = body == null ? null : StoredEvent.decode(body);
      Map<String, String> headers = body == null
          ? Map.of(VERSION, Long.toString(e.version()), GENERATION, Long.toString(generation), SKIP, "1")
          : Map.of(VERSION, Long.toString(e.version()), GENERATION, Long.toString(generation));
      return EventCodec.encode(s == null ? new java.util.UUID(0, 0) : s.eventId(), e.stream(),
          body == null ? new byte[0] : body, headers, s == null ? Instant.EPOCH : s.createdAt(), null);
    }

    /** The same event bytes without the generation header (for a requeued dead letter). */
    public static byte[] withoutGeneration(byte[] bytes) {
      io.tito.pubsub.Event ev = EventCodec.decode("", 0, 0, bytes);
      Map<String, String> h = new java.util.TreeMap<>(ev.headers());
      h.remove(GENERATION);
      return EventCodec.encode(ev.id(), ev.key(), ev.payload(), h, ev.publishedAt(), null);
    }
  }
}
