/**
 * Pub/sub internals: publishing ({@code Publisher}), group administration ({@code Groups},
 * {@code DeadLetters}) and the consumer core, which {@code io.tito.pubsub.Topics} puts together.
 *
 * <h2>The consumer core, in parts with one owner each</h2>
 * A {@code Worker} is one member of a group on one topic. It owns its partition runners, its
 * coordinator and retention threads and its stop flags; the parts below each own their own
 * state, and nothing is written through another class's fields:
 * <ul>
 *   <li><b>Membership and leases</b>: {@code Membership} runs the heartbeat transaction (renew the
 *       membership, drop expired members, renew or find lost the leases whose renewal is due),
 *       the assignment ({@code p % members}) and lease acquisition, which writes the new epoch
 *       into the group state (fencing). Each lease held is a {@code PartitionLease}, the one
 *       owner of what is known about it in memory (expiry, lost, asked to release) and of the
 *       fencing check {@code fence(tx)} that every progress commit runs first.
 *   <li><b>Fetching</b>: a {@code Source} is where events come from. {@code PartitionSource}
 *       reads the group's requeued entries first and, when there are none, the log from the
 *       checkpoint; it also finds and releases due scheduled events (and owns where that scan
 *       starts). With a {@code LogReader} it reads that log instead of the topic's: the event
 *       store's projections and subscriptions read {@code $all} so (this package is exported to
 *       {@code io.tito.events} for it), and reuse the rest.
 *   <li><b>Batching</b>: {@code Batcher} groups log events for batch handlers and owns the mark
 *       of positions that were in a failed batch (handed over one at a time).
 *   <li><b>Handler invocation</b>: {@code Invocation} runs the {@code Invoker} under a
 *       {@code HandlerCall} (the handler timeout, enforced by the runner's lazily re-armed
 *       {@code HandlerTimer}: no timer task per call) and commits the checkpoint after a plain
 *       handler or with a transactional handler's writes; it tells the handler's failures (which
 *       count) from the store's (which do not).
 *   <li><b>Failure handling</b>: {@code Failures} counts a failed attempt in the item's own
 *       counter and decides ({@code decide}) between a retry after the {@link io.tito.Backoff}
 *       of {@link io.tito.pubsub.SubscribeOptions#backoff()} and a dead letter at the max attempts.
 *   <li><b>Checkpointing</b>: {@code Checkpoints} writes progress: the checkpoint, requeued
 *       entries consumed, attempt counts; every write also writes the state key (fencing).
 * </ul>
 * {@code PartitionRunner} is the loop over these parts for one partition: fetch, check the
 * epoch, hand items over (checking the lease before each call), save the checkpoint, retry or
 * dead-letter. It owns its thread, whether it was abandoned after a handler timeout, and a
 * timed-out attempt handed to it to record. Names: a dead letter put back for one group is
 * <i>requeued</i> (a requeued entry; its storage tag is "redo"); moving due scheduled events into
 * the log is <i>releasing</i> them.
 */
package io.tito.internal.pubsub;
