package io.tito.internal.events;

import io.tito.KeyRange;
import io.tito.Stamp;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.Arrays;

/**
 * The event store's key layout, all under {@code (root, "e")}:
 * <pre>
 * (root, "e", "s", stream, "h")            stream header: version, truncated-before, deleted
 * (root, "e", "s", stream, "v", version)   event (StoredEvent)
 * (root, "e", "s", stream, "p", first) + stamp
 *                                          position reference of one append: (last version); its
 *                                          events are at $all stamps (stamp.order + 1 + version - first)
 * (root, "e", "a") + stamp                 $all entry: (stream, version, type); raw 10-byte stamp
 * (root, "e", "seq")                       fallback global sequence (engines without stamps)
 * (root, "e", "k", idempotencyKey)         (stream, first version, last version, content hash)
 * (root, "e", "id", eventId)               explicit event ids: (stream, version, content hash)
 * (root, "e", "alias", name)               stream id of an alias
 * (root, "e", "snap", aggregate, stream)   snapshot: (schema version, version, state JSON)
 * (root, "e", "due", aggregate, stream)    streams whose snapshot is due: version
 * (root, "e", "c", group, "paused" | "gen") consumer pause flag, generation
 * (root, "e", "c", group, "ack", position) event acked in a caller's transaction (manual ack)
 * </pre>
 */
public final class EventKeys {

  private final Subspace events;
  private final byte[] allPrefix;
  private final byte[] allEnd;

  public EventKeys(Subspace root) {
    this.events = root.subspace("e");
    this.allPrefix = events.pack("a");
    this.allEnd = events.subspace("a").range().end();
  }

  public byte[] header(String stream) {
    return events.pack("s", stream, "h");
  }

  public byte[] event(String stream, long version) {
    return events.pack("s", stream, "v", version);
  }

  /**
   * The keys of {@code stream}'s events: {@code streamEvents(s).pack(v)} is {@link #event(String,
   * long) event(s, v)}, with the stream's name encoded once for many versions.
   */
  public Subspace streamEvents(String stream) {
    return events.subspace("s", stream, "v");
  }

  /** Events of {@code stream} with versions in {@code [from, to)}. */
  public KeyRange events(String stream, long from, long to) {
    return new KeyRange(event(stream, from), event(stream, to));
  }

  /** Every event of {@code stream}. */
  public KeyRange allEvents(String stream) {
    return events.subspace("s", stream, "v").range();
  }

  /**
   * The prefix of the position reference of an append to {@code stream} whose first version is
   * {@code first}; the key is this plus the {@link Stamp} of the reference.
   */
  public byte[] positionRefPrefix(String stream, long first) {
    return events.pack("s", stream, "p", first);
  }

  /** Position references of {@code stream} with first versions in {@code [from, to)}. */
  public KeyRange positionRefs(String stream, long from, long to) {
    return new KeyRange(positionRefPrefix(stream, from), positionRefPrefix(stream, to));
  }

  /** Every position reference of {@code stream}. */
  public KeyRange allPositionRefs(String stream) {
    return events.subspace("s", stream, "p").range();
  }

  /** The first version of a position reference key. */
  public long positionRefFirst(byte[] refKey) {
    Tuple t = events.unpack(Arrays.copyOf(refKey, refKey.length - Stamp.LENGTH));
    return t.getLong(t.size() - 1);
  }

  /** The stamp of a position reference key. */
  public Stamp positionRefStamp(byte[] refKey) {
    return Stamp.fromBytes(refKey, refKey.length - Stamp.LENGTH);
  }

  /** The version encoded in an event key of {@code stream}. */
  public long versionOf(byte[] eventKey) {
    Tuple t = events.unpack(eventKey);
    return t.getLong(t.size() - 1);
  }

  /** The prefix of $all entries; an entry's key is this plus a {@link Stamp}. */
  public byte[] allPrefix() {
    return allPrefix.clone();
  }

  /**
   * $all entries after {@code position} (exclusive) and below {@code horizon} (the reading
   * snapshot's {@link io.tito.Transaction#stampHorizon()}: entries at or above it may still be
   * joined by late committers below them, so a reader never reads them).
   */
  public KeyRange allAfter(Stamp position, Stamp horizon) {
    return allBelow(position.next().appendTo(allPrefix), horizon);
  }

  /** $all entries at or below {@code position} (final or not). */
  public KeyRange allUpTo(Stamp position) {
    return new KeyRange(allPrefix, position.equals(Stamp.MAX) ? allEnd : position.next().appendTo(allPrefix));
  }

  /** Every $all entry below {@code horizon} (see {@link #allAfter}). */
  public KeyRange all(Stamp horizon) {
    return allBelow(allPrefix, horizon);
  }

  /** Every $all entry, final or not (for removals, never for readers). */
  public KeyRange allEntries() {
    return new KeyRange(allPrefix, allEnd);
  }

  /** {@code [begin, horizon)} within $all; empty when {@code begin} is at or past the horizon. */
  private KeyRange allBelow(byte[] begin, Stamp horizon) {
    if (horizon.equals(Stamp.MAX)) {
      return new KeyRange(begin, allEnd);
    }
    byte[] end = horizon.appendTo(allPrefix);
    return new KeyRange(begin, Arrays.compareUnsigned(begin, end) < 0 ? end : begin);
  }

  /** The stamp of a $all key. */
  public Stamp stampOf(byte[] allKey) {
    return Stamp.fromBytes(allKey, allPrefix.length);
  }

  /** Whether {@code key} is a $all key (prefix and exact length). */
  public boolean isAllKey(byte[] key) {
    return key.length == allPrefix.length + Stamp.LENGTH
        && Arrays.equals(key, 0, allPrefix.length, allPrefix, 0, allPrefix.length);
  }

  /** ("e","wake") -> (n): written by a wake-up notification sent on its own (it needs a write). */
  public byte[] wakeUp() {
    return events.pack("wake");
  }

  public byte[] sequence() {
    return events.pack("seq");
  }

  public byte[] idempotency(String key) {
    return events.pack("k", key);
  }

  public byte[] eventId(java.util.UUID id) {
    return events.pack("id", id);
  }

  public byte[] alias(String name) {
    return events.pack("alias", name);
  }

  public byte[] snapshot(String aggregate, String stream) {
    return events.pack("snap", aggregate, stream);
  }

  public byte[] due(String aggregate, String stream) {
    return events.pack("due", aggregate, stream);
  }

  /** Streams whose snapshot is due, of one aggregate. */
  public KeyRange dueRange(String aggregate) {
    return events.subspace("due", aggregate).range();
  }

  /** The stream of a due key. */
  public String dueStream(byte[] dueKey) {
    Tuple t = events.unpack(dueKey);
    return t.getString(t.size() - 1);
  }

  /** $all entries at or after {@code position} (inclusive) and below {@code horizon} (see {@link #allAfter}). */
  public KeyRange allFrom(Stamp position, Stamp horizon) {
    return allBelow(position.appendTo(allPrefix), horizon);
  }

  /** ("e","c",group,"paused") -> () : the consumer (projection or subscription) is paused. */
  public byte[] consumerPaused(String group) {
    return events.pack("c", group, "paused");
  }

  /** ("e","c",group,"ack",position) -> (): an event acked in a caller's transaction, not yet passed by the checkpoint. */
  public byte[] consumerAck(String group, long position) {
    return events.pack("c", group, "ack", position);
  }

  /** The group's ack markers with packed positions in {@code [from, to)}. */
  public KeyRange consumerAcks(String group, long from, long to) {
    return new KeyRange(consumerAck(group, from), consumerAck(group, to));
  }

  /** Every ack marker of the group. */
  public KeyRange consumerAcks(String group) {
    return events.subspace("c", group, "ack").range();
  }

  /** The packed position of an ack marker key. */
  public long consumerAckPosition(byte[] key) {
    Tuple t = events.unpack(key);
    return t.getLong(t.size() - 1);
  }

  /** ("e","c",group,"gen") -> (n): bumped by a projection reset or rebuild. */
  public byte[] consumerGeneration(String group) {
    return events.pack("c", group, "gen");
  }
}
