package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.internal.TopicsAccess;
import io.tito.internal.pubsub.Context;
import io.tito.internal.pubsub.DeadLetters;
import io.tito.internal.pubsub.Groups;
import io.tito.internal.pubsub.Inspector;
import io.tito.internal.pubsub.PartitionHash;
import io.tito.internal.pubsub.Publisher;
import io.tito.internal.pubsub.Subscriptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Partitioned, scheduled publish/subscribe with consumer groups, stored in a {@link Tito} store:
 * the transactional outbox.
 *
 * <pre>{@code
 * Topics topics = tito.topics();
 * topics.createTopic("orders", TopicConfig.DEFAULTS);
 * tito.inTransaction(tx -> {
 *   tx.set(orderKey, orderBytes);
 *   topics.publish(tx, "orders", Message.of(orderId, payload));   // exists iff tx commits
 * });
 * try (Subscription s = topics.subscribe("orders", "billing", event -> bill(event),
 *     SubscribeOptions.DEFAULTS)) { ... }
 * }</pre>
 *
 * <p><b>Guarantees.</b> An event exists iff its publishing transaction commits. Positions in a
 * partition are dense and in commit order: publishing reads and writes the partition's sequence
 * key, so concurrent publishers to one partition conflict and the transaction runner retries one
 * of them; no consumer can skip an event that commits late. Scheduled events are moved into the
 * log when due and never delivered before. Each group gets every event, in position order per
 * partition, at least once ({@link EventHandler}) or with exactly-once effects in the same store
 * ({@link TransactionalEventHandler}). Within a group one worker at a time owns a partition
 * through a lease with an epoch; progress commits check it, so a worker that lost its lease
 * cannot commit.
 *
 * <p>Partition of a key: MurmurHash3 x86 32-bit (seed 0) of its UTF-8 bytes, as an unsigned
 * number, modulo the partition count ({@link #partitionOf}).
 *
 * <p>Thread-safe. Reached through {@link Tito#topics()}, which makes one per store and shares
 * it; it uses the store's {@linkplain Tito#clock() clock} for publish times, due times, retries,
 * leases and retention. Stores on one engine (other roots, other clocks) cooperate: wake-ups are
 * shared per engine. Closing the store stops its workers.
 */
public final class Topics {

  static {
    TopicsAccess.factory(Topics::new);
  }

  private final Tito tito;
  private final Context ctx;
  private final Publisher publisher;
  private final Groups groups;
  private final DeadLetters deadLetters;
  private final Subscriptions subscriptions;
  private final Inspector inspector;

  private Topics(Tito tito, Clock clock) {
    this.tito = tito;
    this.ctx = new Context(tito, clock);
    this.publisher = new Publisher(ctx);
    this.groups = new Groups(ctx, publisher);
    this.deadLetters = new DeadLetters(ctx);
    this.subscriptions = new Subscriptions(ctx, publisher, deadLetters, groups);
    this.inspector = new Inspector(ctx, publisher, groups);
  }

  /** The partition of {@code key} in a topic of {@code partitions} partitions. Stable forever. */
  public static int partitionOf(String key, int partitions) {
    if (key == null || partitions < 1) {
      throw new InvalidArgumentException("key and a positive partition count needed", Map.of());
    }
    return PartitionHash.partition(key, partitions);
  }

  /**
   * Creates a topic, or returns the settings of an existing one if equal.
   *
   * @throws io.tito.AlreadyExistsException if it exists with other settings
   */
  public TopicConfig createTopic(String topic, TopicConfig config) {
    return publisher.createTopic(topic, config);
  }

  /** {@link #createTopic(String, TopicConfig)} with {@link TopicConfig#DEFAULTS}. */
  public TopicConfig createTopic(String topic) {
    return createTopic(topic, TopicConfig.DEFAULTS);
  }

  /**
   * The settings of an existing topic.
   *
   * @throws io.tito.NotFoundException if it does not exist
   */
  public TopicConfig topic(String topic) {
    return ctx.config(topic);
  }

  /**
   * Publishes in the caller's transaction: the event exists iff {@code tx} commits. An event
   * whose {@link Message#deliverAt} is in the future waits under its due time and enters the log
   * (getting its position) once due; otherwise it takes the partition's next position now. Local
   * idle workers are woken after commit, others through engine notifications or polling.
   *
   * <p>A message with a caller-chosen id ({@link Message#withId}) is published at most once per
   * topic while its event is kept: publishing it again, in this transaction or a later one, is a
   * no-op returning the first receipt. Retry a publish whose commit outcome is unknown that way.
   *
   * <p>The receipt's {@link PublishReceipt#position()} is known once {@code tx} commits: on
   * engines with {@link io.tito.spi.Capability#COMMIT_SEQUENCED_APPENDS} an event published
   * without a caller-chosen id takes its position at commit (the receipt shows {@link
   * PublishReceipt#UNASSIGNED} until then; {@code tx.afterCommit} actions registered after this
   * call see the position), and concurrent publishers to one partition do not conflict.
   *
   * @throws io.tito.NotFoundException if the topic does not exist
   * @throws io.tito.ConflictException at commit, if another transaction published to the same
   *     partition concurrently on an engine without sequenced appends, or with a caller-chosen id
   *     (the transaction runner retries it)
   */
  public PublishReceipt publish(Transaction tx, String topic, Message message) {
    Publisher.Published published = publisher.publish(tx, topic, message,
        message == null ? null : message.sharedPayload());
    PublishReceipt receipt = published.receipt();
    byte[] counter = published.counter();
    if (counter != null) {
      int offset = published.offset();
      tx.afterCommit(() -> receipt.assign(tx.sequenceStart(counter) + offset));
    }
    return receipt;
  }

  /** Publishes one message in its own transaction; the receipt is complete (position known). */
  public PublishReceipt publish(String topic, Message message) {
    return tito.transaction(tx -> publish(tx, topic, message));
  }

  /**
   * Reads up to {@code limit} events of a partition's log from {@code position} (low level; no
   * group involved). Deleted (retained-out) positions are absent.
   *
   * @throws io.tito.NotFoundException if the topic does not exist
   */
  public List<Event> read(String topic, int partition, long position, int limit) {
    return publisher.read(topic, partition, position, limit);
  }

  /** The next position the partition will assign: the number of events ever logged there. */
  public long head(String topic, int partition) {
    return publisher.head(topic, partition);
  }

  /**
   * Moves up to {@code limit} of the partition's events that are due by the clock into the log, in
   * one transaction; returns how many. Workers do this themselves; this is for tools and readers
   * that use {@link #read} directly.
   */
  public int releaseDue(String topic, int partition, int limit) {
    return publisher.releaseDue(topic, partition, limit);
  }

  /**
   * Starts a worker of {@code group} with an at-least-once handler. Registers the group first if
   * it is new (its checkpoints start at {@link SubscribeOptions#start}).
   *
   * @throws io.tito.NotFoundException if the topic does not exist
   */
  public Subscription subscribe(String topic, String group, EventHandler handler,
      SubscribeOptions options) {
    return subscriptions.subscribe(topic, group, handler, options);
  }

  /**
   * Starts a worker whose handler runs in the transaction that advances the checkpoint
   * (exactly-once effects in this store). A distinct name from {@link #subscribe} so that method
   * references such as {@code list::add} resolve to one handler kind.
   */
  public Subscription subscribeTransactional(String topic, String group,
      TransactionalEventHandler handler,
      SubscribeOptions options) {
    return subscriptions.subscribe(topic, group, handler, options);
  }

  /**
   * Starts a worker that receives consecutive events of a partition in batches of up to {@link
   * SubscribeOptions#fetchSize}, at least once.
   */
  public Subscription subscribeBatches(String topic, String group, BatchEventHandler handler,
      SubscribeOptions options) {
    return subscriptions.subscribe(topic, group, handler, options);
  }

  /**
   * Starts a worker that receives batches inside the transaction that advances the checkpoint
   * past them (exactly-once effects in this store).
   */
  public Subscription subscribeBatchesTransactional(String topic, String group,
      TransactionalBatchHandler handler,
      SubscribeOptions options) {
    return subscriptions.subscribe(topic, group, handler, options);
  }

  /** How far {@code group} is behind, per partition. @throws io.tito.NotFoundException if unknown */
  public List<PartitionLag> lag(String topic, String group) {
    return groups.lag(topic, group);
  }

  /** Up to {@code limit} dead letters of {@code group}, ordered by event id. */
  public List<DeadLetter> deadLetters(String topic, String group, int limit) {
    return deadLetters.list(topic, group, limit);
  }

  /**
   * Requeues a dead letter for {@code group} only: it is handled again before that partition's next
   * log events.
   *
   * @throws io.tito.NotFoundException if there is no such dead letter
   */
  public void requeue(String topic, String group, UUID id) {
    deadLetters.requeue(topic, group, id);
  }

  /**
   * Requeues every dead letter of {@code group}, a page per transaction; returns how many. Each
   * letter present when the call starts is requeued once, even if a running worker dead-letters it
   * again before the call ends.
   */
  public int requeueAll(String topic, String group) {
    return deadLetters.requeueAll(topic, group);
  }

  /** Test hook: see {@link DeadLetters#onRequeuePage}. */
  void onRequeuePage(java.util.function.IntConsumer hook) {
    deadLetters.onRequeuePage(hook);
  }

  /** Deletes a dead letter; returns whether it existed. */
  public boolean deleteDeadLetter(String topic, String group, UUID id) {
    return deadLetters.delete(topic, group, id);
  }

  /**
   * Deletes the events of every partition that all groups have passed and whose retention is
   * over; returns how many. Workers also do this every {@link SubscribeOptions#retentionInterval}
   * for the partitions they own, on a thread of their own in bounded transactions, each partition
   * once per interval whatever the number of groups.
   */
  public int applyRetention(String topic) {
    int partitions = topic(topic).partitions();
    int total = 0;
    for (int p = 0; p < partitions; p++) {
      int n;
      do {
        n = groups.applyRetention(topic, p, 500);
        total += n;
      } while (n == 500);
    }
    return total;
  }

  /**
   * Removes a group: checkpoints, leases, requeued entries, membership and dead letters. Stop its
   * workers first; retention then no longer waits for it.
   */
  public void deleteGroup(String topic, String group) {
    groups.delete(topic, group);
  }

  // ---- Operator reads and actions (the admin tools use these; so may applications) ----

  /** The names of every topic of this store, sorted. One snapshot read. */
  public List<String> topicNames() {
    return inspector.topicNames();
  }

  /**
   * The groups registered on {@code topic}, sorted, whether or not a worker runs.
   *
   * @throws io.tito.NotFoundException if the topic does not exist
   */
  public List<String> groups(String topic) {
    return inspector.groupNames(topic);
  }

  /**
   * The live members (worker ids whose membership has not expired) of a group, sorted.
   *
   * @throws io.tito.NotFoundException if the topic or group does not exist
   */
  public List<String> members(String topic, String group) {
    return inspector.members(topic, group);
  }

  /**
   * The status of a group in every partition: checkpoint, lag, requeued entries, the failing
   * event's attempts and error, and the lease. One snapshot read.
   *
   * @throws io.tito.NotFoundException if the topic or group does not exist
   */
  public List<PartitionStatus> groupStatus(String topic, String group) {
    return inspector.status(topic, group);
  }

  /**
   * Up to {@code limit} scheduled events of a partition that are not in its log yet, by due time
   * ({@link Event#deliverAt}); their {@link Event#position} is -1. Those due by the clock are
   * released into the log by the partition's workers (or {@link #releaseDue}).
   *
   * @throws io.tito.InvalidArgumentException for a partition out of range or a limit below 1
   * @throws io.tito.NotFoundException if the topic does not exist
   */
  public List<Event> scheduled(String topic, int partition, int limit) {
    return inspector.scheduled(topic, partition, limit);
  }

  /** The dead letter {@code id} of {@code group}, if there is one. */
  public Optional<DeadLetter> deadLetter(String topic, String group, UUID id) {
    return Optional.ofNullable(deadLetters.get(topic, group, id));
  }

  /** How many dead letters {@code group} has: one streamed scan, cost grows with the count. */
  public long deadLetterCount(String topic, String group) {
    return deadLetters.count(topic, group);
  }

  /**
   * How many events {@code group} ever dead-lettered (all partitions, all processes): monotonic,
   * not lowered by requeueing or deleting dead letters; reset only by deleting the group. One read
   * per partition.
   *
   * @throws io.tito.NotFoundException if the topic does not exist
   */
  public long deadLetteredTotal(String topic, String group) {
    return deadLetters.deadLetteredTotal(topic, group);
  }

  /**
   * Moves a group's checkpoint in one partition to {@code position} (back to replay, forward to
   * skip), in one transaction: the failure count is cleared, requeued entries stay, and the
   * partition's lease is released at a new fencing epoch, so a worker that owned it can commit
   * nothing more and a worker takes it again from the new checkpoint.
   *
   * @throws io.tito.InvalidArgumentException for a partition out of range or a position below 0 or
   *     past the partition's {@linkplain #head head}
   * @throws io.tito.NotFoundException if the topic or group does not exist
   */
  public void resetGroup(String topic, String group, int partition, long position) {
    inspector.reset(topic, group, partition, position);
  }

  /**
   * Moves a group's checkpoint in every partition to where {@code start} points now (the earliest
   * retained event, the head, or the first event published at or after a time), in one
   * transaction and with the fencing of {@link #resetGroup(String, String, int, long)}.
   *
   * @return the new checkpoint of each partition, by partition
   * @throws io.tito.NotFoundException if the topic or group does not exist
   */
  public List<Long> resetGroup(String topic, String group, StartPosition start) {
    return inspector.reset(topic, group, start);
  }
}
