/**
 * Partitioned, scheduled publish/subscribe with consumer groups: the transactional outbox.
 * Entry point: {@link io.tito.pubsub.Topics}.
 *
 * <h2>Vocabulary</h2>
 * A <b>topic</b> has a fixed number of <b>partitions</b>; an <b>event</b> goes to the partition
 * of its key (MurmurHash3 x86 32-bit, seed 0, of the key's UTF-8 bytes, unsigned, modulo the
 * count) and gets the partition's next <b>position</b> when its transaction commits. A consumer
 * <b>group</b> receives every event and keeps a <b>checkpoint</b> per partition; its
 * <b>workers</b> share the partitions through <b>leases</b>; events a group gives up on become
 * its <b>dead letters</b>.
 *
 * <h2>Key layout</h2>
 * Under the store's root subspace, all tuples:
 * <pre>
 * ("q", topic, p, "seq")                 -> (next position)           advanced by every publish
 * ("q", topic, p, "log", position)       -> event
 * ("q", topic, p, "due", dueAt, id)      -> event, scheduled; moved to the log when due
 * ("q", topic, "id", id)                -> (p, position|-1, deliverAt) caller-chosen ids, kept
 *                                           until retention deletes the event
 * ("g", topic, group, p)                 -> (checkpoint, attempts, epoch, retryAtMillis, lastError)
 * ("g", topic, group, p, "lease")        -> (owner, epoch, expiryMillis)
 * ("g", topic, group, p, "redo", n)      -> (position, event, id, attempts, retryAtMillis,
 *                                           lastError)   requeued dead letters ("redo" is the
 *                                           storage tag of a requeued entry)
 * ("g", topic, group, p, "dead-lettered") -> (n) events the group ever dead-lettered there
 * ("d", topic, group, id)                -> (p, position, event, error, attempts, deadAt)
 * ("m", "topic", topic)                  -> (partitions, retentionMillis)
 * ("m", "group", topic, group)           -> (start kind, start time)
 * ("m", "member", topic, group, worker)  -> (expiryMillis)
 * </pre>
 * An event is the tuple {@code (1, id, key, payload, (header, value, ...), publishedAt,
 * deliverAt)}. Ids are UUID version 7.
 *
 * <h2>Why it is correct</h2>
 * <ul>
 *   <li><b>No skipped late commits.</b> On engines with {@link
 *       io.tito.spi.Capability#COMMIT_SEQUENCED_APPENDS} a publish appends at the partition's next
 *       position assigned at commit, under the lock that orders the partition's commits, so
 *       concurrent publishers never conflict; otherwise (and for a message with a caller-chosen
 *       id) publishing reads and writes the partition's sequence key, so engines with
 *       first-committer-wins serialise publishers of a partition. Either way positions are dense
 *       and commit-ordered, and a reader never sees position n+1 without n. A {@link
 *       io.tito.pubsub.PublishReceipt}'s position is known once its transaction commits.
 *   <li><b>Scheduled events</b> wait under their due time; whoever polls the partition (any
 *       group's owner, or {@link io.tito.pubsub.Topics#releaseDue}) moves due ones into the log
 *       in one transaction with the sequence update, in due-time order.
 *   <li><b>Fencing.</b> Taking a lease writes the new epoch into the lease <i>and</i> into the
 *       group's partition state. Every progress commit re-reads both and requires its own owner
 *       and epoch; because it also writes the state key, a takeover that committed after its
 *       snapshot makes it conflict (snapshot isolation does not detect read-write conflicts, so
 *       the shared written key is what makes fencing hold).
 *   <li><b>Assignment.</b> Each worker heartbeats its membership (default every 2 s), renews
 *       its leases in the same transaction, sorts the live members, and takes partition p if
 *       {@code p % members == its index} and the lease is free or expired. A worker releases a
 *       partition no longer assigned to it after its in-flight event committed, so a handed-off
 *       partition is drained first. A dead worker's partitions move once its leases expire
 *       (default 10 s).
 *   <li><b>Failures</b> are retried in place (attempts and the next attempt time persisted in
 *       the group's partition state) with exponential backoff jittered into [d/2, d] ({@link
 *       io.tito.pubsub.SubscribeOptions#backoff()}). After the
 *       group's max attempts the event becomes a dead letter of that group only and the partition
 *       moves on. Undecodable stored bytes are dead-lettered at once. Requeueing puts a dead
 *       letter on the group's per-partition requeue list, consumed before the log, so other
 *       groups never see it again; a requeued entry keeps its own attempt count (starting at zero),
 *       so it neither inherits nor resets the count of the log event at the checkpoint.
 *   <li><b>What counts as a failed attempt</b>: anything the handler throws, {@code Error}s
 *       included (AssertionError, StackOverflowError, NoClassDefFoundError, InternalError), except
 *       {@code OutOfMemoryError}, which is rethrown (the runner's thread ends, the lease is
 *       released and taken again; nothing is counted, since the JVM may not be able to record it);
 *       and a handler call that exceeds {@link io.tito.pubsub.SubscribeOptions#handlerTimeout}
 *       (default 5 min; its thread is interrupted). What fails in the store does <i>not</i>
 *       count: a progress commit that keeps conflicting or meets storage trouble past the store's
 *       retry policy, an unknown commit outcome, a lost lease. The step is retried after a pause
 *       (the poll interval) and the event handed over again. For a transactional handler, a
 *       retriable {@link io.tito.TitoException} (conflict, storage unavailable) or a
 *       {@link io.tito.ClosedException} or {@link io.tito.CommitUnknownException} thrown out of the
 *       handler is taken as the store's failure; any other exception is the handler's.
 *   <li><b>Handler timeout.</b> The handler runs on its partition runner's thread; a shared
 *       timer watches each call. After the timeout the handler's thread is interrupted and a
 *       fresh runner of the same lease takes the partition over: it records the failed attempt
 *       (a timed-out batch is not counted but handed over one event at a time) and goes on; the
 *       old runner stops once the handler returns, without committing: a transactional attempt
 *       given up on checks before handling and before advancing, and every transactional attempt
 *       checks that its events are still unconsumed, so with the state key's write conflicts an
 *       attempt racing its own retry commits at most once. A handler that ignores the interrupt
 *       keeps running, possibly alongside the next attempt at the same event (delivery is at
 *       least once), and no longer counts against the worker's concurrency.
 *   <li><b>Idempotent publish.</b> A message may carry its id ({@link
 *       io.tito.pubsub.Message#withId}); the topic keeps ("q", topic, "id", id), read and written by
 *       the publish, so publishing an id again (same transaction, later, or concurrently: the
 *       publishes then conflict and the retry sees the first) is a no-op returning the first
 *       receipt. The window is the event's life in the topic: retention clears the entry with the
 *       event, so the index is never larger than the log. A topic that deletes events quickly
 *       (retention zero) remembers ids only until every group has consumed them.
 *   <li><b>Wake-ups.</b> A publishing commit wakes local workers of the partition after commit
 *       and asks the engine to notify other processes ({@code tito_pubsub} channel, payload
 *       {@code partition:topic}). A local worker that has read everything before the published
 *       event, and had no other wake-up since, takes the event from the publishing commit
 *       without reading the store (same order, same positions, same guarantees). While wake-ups are complete (an engine of one process, or
 *       notifications reported healthy) idle partitions wait for a wake-up without reading, and
 *       each worker reads all its partitions in one read-only transaction every 60 s (jittered)
 *       as the fallback of truth, waking those with events past the checkpoint, requeued entries or
 *       scheduled events; otherwise idle partitions look again after the poll interval (default
 *       1 s). Partitions with a due time or
 *       retry pending look again then, at the latest after the poll interval.
 *   <li><b>Retention.</b> The oldest events of a partition are deleted once every registered
 *       group's checkpoint passed them and they are older than the topic's retention; the log
 *       stays a contiguous suffix. Workers do it for their partitions every retention interval,
 *       on a thread apart from the heartbeat, in bounded transactions, each partition once per
 *       interval whatever the number of groups.
 *   <li><b>Shutdown.</b> Closing a subscription, or the store (which closes its subscriptions
 *       first), lets in-flight handlers commit within the shutdown timeout and releases leases.
 * </ul>
 *
 * <h2>Not guaranteed</h2>
 * An at-least-once handler still running when its worker's lease lapses (a stalled process) may
 * overlap with the next owner's; its commit is then refused and the event delivered again. Clocks
 * of processes sharing a store must agree to well within the lease timeout.
 */
package io.tito.pubsub;
