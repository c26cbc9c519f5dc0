package io.tito.pubsub;

/**
 * How far one group is behind in one partition.
 *
 * @param partition the partition
 * @param head the next position the partition will assign (number of events ever logged)
 * @param checkpoint the group's next position to consume
 * @param lag {@code head - checkpoint}: events logged but not yet consumed by the group
 * @param requeued requeued dead letters of the group waiting to be handled again
 */
public record PartitionLag(int partition, long head, long checkpoint, long lag, long requeued) {}
