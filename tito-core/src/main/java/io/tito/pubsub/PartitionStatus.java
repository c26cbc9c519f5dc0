package io.tito.pubsub;

import java.time.Instant;

/**
 * What an operator needs to know about one group in one partition: its progress, its failing
 * event if any, and who owns the partition. A snapshot read; immutable.
 *
 * @param partition the partition
 * @param head the next position the partition will assign (number of events ever logged)
 * @param checkpoint the group's next position to consume
 * @param lag {@code head - checkpoint}, at least 0
 * @param requeued requeued dead letters waiting to be handled again
 * @param attempts failed attempts of the event at the checkpoint (0 when none failed)
 * @param lastError the last failure's description, or null
 * @param leaseOwner the worker holding the partition's lease, or null if none holds a live one
 * @param epoch the fencing epoch of the group state: it grows with every new lease owner and
 *     every {@linkplain Topics#resetGroup reset}, so it also counts lease changes
 * @param leaseExpiry when the current owner's lease lapses unless renewed, or null without owner
 */
public record PartitionStatus(int partition, long head, long checkpoint, long lag, long requeued,
    int attempts, String lastError, String leaseOwner, long epoch, Instant leaseExpiry) {}
