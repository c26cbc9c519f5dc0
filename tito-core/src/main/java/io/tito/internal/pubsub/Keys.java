package io.tito.internal.pubsub;

import io.tito.ByteArrays;
import io.tito.KeyRange;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.UUID;

/**
 * The pub/sub key layout under the store's root subspace (listed in the {@code io.tito.pubsub} package
 * documentation).
 * Every key is a tuple, so positions, times and ids sort by value. Thread-safe.
 */
public final class Keys {

  /** Storage tag of requeued entries (historical; the concept is "requeue"). */
  static final String REQUEUED_TAG = "redo";

  private final Subspace root;

  public Keys(Subspace root) {
    this.root = root;
  }

  /** ("q", topic, p, "seq") -> (next position). A fresh copy of a key made once per partition. */
  public byte[] seq(String topic, int p) {
    return partition(topic, p).seq.clone();
  }

  /** ("q", topic, p, "log", position) -> event */
  public byte[] log(String topic, int p, long position) {
    return root.pack("q", topic, p, "log", position);
  }

  /** The prefix of the partition's log keys: {@code log(topic, p, n)} is it plus {@code Tuple.of(n).pack()}. */
  public byte[] logPrefix(String topic, int p) {
    return partition(topic, p).logPrefix.clone();
  }

  /** A partition's counter key and log prefix, encoded once: every publish needs both. */
  private record PartitionKeys(byte[] seq, byte[] logPrefix) {}

  /** Per topic, its partitions' keys by number (grown on demand; null where not made yet). */
  private final java.util.Map<String, PartitionKeys[]> partitions =
      new java.util.concurrent.ConcurrentHashMap<>();

  private PartitionKeys partition(String topic, int p) {
    PartitionKeys[] byPartition = partitions.get(topic);
    PartitionKeys k = byPartition != null && p >= 0 && p < byPartition.length ? byPartition[p] : null;
    if (k != null) {
      return k;
    }
    k = new PartitionKeys(root.pack("q", topic, p, "seq"), root.pack("q", topic, p, "log"));
    if (p < 0 || p > MAX_CACHED_PARTITION) {
      return k; // not a partition a topic can have: encoded, not kept
    }
    // Racing publishers may each install a copy; a lost one is only made again.
    PartitionKeys[] grown = byPartition == null ? new PartitionKeys[p + 1]
        : java.util.Arrays.copyOf(byPartition, Math.max(byPartition.length, p + 1));
    grown[p] = k;
    partitions.put(topic, grown);
    return k;
  }

  /** Partitions above this are encoded at each call instead of kept. */
  private static final int MAX_CACHED_PARTITION = 4095;

  public KeyRange logRange(String topic, int p) {
    return root.range(Tuple.of("q", topic, p, "log"));
  }

  /** Log keys at or after {@code position}. */
  public KeyRange logFrom(String topic, int p, long position) {
    return new KeyRange(log(topic, p, position), logRange(topic, p).end());
  }

  public long logPosition(byte[] key) {
    Tuple t = root.unpack(key);
    return t.getLong(t.size() - 1);
  }

  /** ("q", topic, p, "retained") -> (millis of the last retention round's claim) */
  public byte[] retained(String topic, int p) {
    return root.pack("q", topic, p, "retained");
  }

  /** ("q", topic, p, "due", dueAt, id) -> event */
  public byte[] due(String topic, int p, Instant at, UUID id) {
    return root.pack("q", topic, p, "due", at, id);
  }

  public KeyRange dueRange(String topic, int p) {
    return root.range(Tuple.of("q", topic, p, "due"));
  }

  /** Due keys whose time is at or before {@code now}. */
  public KeyRange dueUpTo(String topic, int p, Instant now) {
    byte[] end = ByteArrays.concat(root.pack("q", topic, p, "due", now), new byte[] {(byte) 0xFF});
    return new KeyRange(dueRange(topic, p).begin(), end);
  }

  public Instant dueTime(byte[] key) {
    Tuple t = root.unpack(key);
    return t.getInstant(t.size() - 2);
  }

  /** ("q", topic, "id", id) -> (partition, position or -1, deliverAt): a caller-chosen event id */
  public byte[] publishedId(String topic, UUID id) {
    return root.pack("q", topic, "id", id);
  }

  /** ("g", topic, group, p) -> group partition state */
  public byte[] state(String topic, String group, int p) {
    return root.pack("g", topic, group, p);
  }

  /** ("g", topic, group, p, "lease") -> lease */
  public byte[] lease(String topic, String group, int p) {
    return root.pack("g", topic, group, p, "lease");
  }

  /**
   * ("g", topic, group, p, "redo", n) -> requeued dead letter, consumed before the log. "redo" is
   * only the storage tag of a requeued entry (kept so that stored data stays readable); code, docs
   * and metrics call the concept "requeue".
   */
  public byte[] requeued(String topic, String group, int p, long n) {
    return root.pack("g", topic, group, p, REQUEUED_TAG, n);
  }

  /** The group's requeued entries of partition {@code p}, in requeue order. */
  public KeyRange requeuedRange(String topic, String group, int p) {
    return root.range(Tuple.of("g", topic, group, p, REQUEUED_TAG));
  }

  /**
   * ("g", topic, group, p, "dead-lettered") -> (n): how many events the group ever dead-lettered in
   * partition {@code p}. Written only by the partition's owner (fenced), so no two writers
   * conflict on it; cleared with the group.
   */
  public byte[] deadLettered(String topic, String group, int p) {
    return root.pack("g", topic, group, p, "dead-lettered");
  }

  /** The requeue number {@code n} of a requeued entry's key. */
  public long requeueNumber(byte[] key) {
    Tuple t = root.unpack(key);
    return t.getLong(t.size() - 1);
  }

  /** Everything of one group: states, leases, requeued entries. */
  public KeyRange groupRange(String topic, String group) {
    return root.range(Tuple.of("g", topic, group));
  }

  /** ("d", topic, group, id) -> dead letter */
  public byte[] dead(String topic, String group, UUID id) {
    return root.pack("d", topic, group, id);
  }

  public KeyRange deadRange(String topic, String group) {
    return root.range(Tuple.of("d", topic, group));
  }

  /** ("m", "topic", topic) -> (partitions, retention millis) */
  public byte[] topic(String topic) {
    return root.pack("m", "topic", topic);
  }

  /** ("m", "group", topic, group) -> (start kind, start time) */
  public byte[] group(String topic, String group) {
    return root.pack("m", "group", topic, group);
  }

  public KeyRange groupsRange(String topic) {
    return root.range(Tuple.of("m", "group", topic));
  }

  public String groupName(byte[] key) {
    Tuple t = root.unpack(key);
    return t.getString(t.size() - 1);
  }

  /** ("m", "member", topic, group, worker) -> (expiry millis) */
  public byte[] member(String topic, String group, String worker) {
    return root.pack("m", "member", topic, group, worker);
  }

  public KeyRange membersRange(String topic, String group) {
    return root.range(Tuple.of("m", "member", topic, group));
  }

  public String memberName(byte[] key) {
    Tuple t = root.unpack(key);
    return t.getString(t.size() - 1);
  }
}
