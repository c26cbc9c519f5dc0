package io.tito.pubsub;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link Topics#publish} assigned, complete once the publishing transaction commits.
 * Publishing a message whose {@linkplain Message#withId id} the topic already holds returns the
 * receipt of the first publish (a scheduled event's position stays {@code -1} there even once it
 * is due).
 *
 * <p><b>When the position is known.</b> On engines with {@link
 * io.tito.spi.Capability#COMMIT_SEQUENCED_APPENDS} (memory, RocksDB, PostgreSQL, MariaDB), an
 * event published without a caller-chosen id takes its position at commit, so that concurrent
 * publishers to one partition never conflict: {@link #position()} is {@link #UNASSIGNED} until
 * the publishing transaction commits, and the position from then on (it is filled in before the
 * transaction's {@link io.tito.Transaction#afterCommit} actions registered after the publish
 * run, and before {@link Topics#publish(String, Message)} returns). If the transaction does not
 * commit it stays {@link #UNASSIGNED}. A message with a caller-chosen id, and any message on
 * other engines (etcd), takes its position in the transaction: known at once.
 *
 * <p>Equal receipts have equal ids, topics, partitions, positions (as read now) and times; so
 * the hash code changes when the position is assigned (do not keep an unassigned receipt in a
 * hash set across its commit; key by {@link #id()}). Thread-safe: the position is published
 * with a volatile write.
 */
public final class PublishReceipt {

  /** {@link #position()} of a scheduled event: it gets its position when it becomes due. */
  public static final long SCHEDULED = -1;
  /** {@link #position()} of an event whose position its commit assigns, before that commit. */
  public static final long UNASSIGNED = -2;

  private final UUID id;
  private final String topic;
  private final int partition;
  private final Instant deliverAt;
  private volatile long position;

  /**
   * @param id the event's unique id
   * @param topic topic name
   * @param partition the partition of the key
   * @param position the log position, {@link #SCHEDULED} for a scheduled event, or {@link
   *     #UNASSIGNED} for one whose commit assigns it
   * @param deliverAt the scheduled time, or null
   */
  public PublishReceipt(UUID id, String topic, int partition, long position, Instant deliverAt) {
    this.id = id;
    this.topic = topic;
    this.partition = partition;
    this.position = position;
    this.deliverAt = deliverAt;
  }

  /** The event's unique id. */
  public UUID id() {
    return id;
  }

  /** The topic's name. */
  public String topic() {
    return topic;
  }

  /** The partition of the key. */
  public int partition() {
    return partition;
  }

  /**
   * The log position; {@link #SCHEDULED} for a scheduled event; {@link #UNASSIGNED} while the
   * commit that assigns it has not happened (see the class documentation).
   */
  public long position() {
    return position;
  }

  /** The scheduled time, or null. */
  public Instant deliverAt() {
    return deliverAt;
  }

  /** Whether the event waits for its due time instead of entering the log at once. */
  public boolean scheduled() {
    return position == SCHEDULED;
  }

  /** Whether {@link #position()} is known (the event is in the log and its commit happened). */
  public boolean positionAssigned() {
    return position >= 0;
  }

  /** Sets the position its commit assigned; for {@link Topics} only. */
  void assign(long assigned) {
    this.position = assigned;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishReceipt r && partition == r.partition && position == r.position
        && Objects.equals(id, r.id) && Objects.equals(topic, r.topic)
        && Objects.equals(deliverAt, r.deliverAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, topic, partition, position, deliverAt);
  }

  @Override
  public String toString() {
    return "PublishReceipt[id=" + id + ", topic=" + topic + ", partition=" + partition
        + ", position=" + position + ", deliverAt=" + deliverAt + "]";
  }
}
