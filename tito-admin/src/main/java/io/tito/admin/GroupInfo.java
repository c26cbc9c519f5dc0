package io.tito.admin;

import io.tito.pubsub.PartitionStatus;
import java.util.List;

/**
 * A consumer group of a topic as the operator tools show it: one snapshot of its partitions,
 * plus its live members and dead-letter count. Immutable.
 *
 * @param topic the topic
 * @param group the group
 * @param members live worker ids, sorted
 * @param deadLetters dead letters waiting for an operator
 * @param partitions the status of every partition, by partition
 */
public record GroupInfo(String topic, String group, List<String> members, long deadLetters,
    List<PartitionStatus> partitions) {

  /** Copies the lists. */
  public GroupInfo {
    members = List.copyOf(members);
    partitions = List.copyOf(partitions);
  }

  /** The lag of all partitions together. */
  public long lag() {
    return partitions.stream().mapToLong(PartitionStatus::lag).sum();
  }

  /** Partitions whose lease no live worker holds. */
  public long unowned() {
    return partitions.stream().filter(p -> p.leaseOwner() == null).count();
  }
}
