package io.tito.admin;

import java.time.Duration;
import java.util.List;

/**
 * A topic as the operator tools show it. Immutable.
 *
 * @param name the topic
 * @param partitions its partition count
 * @param retention how long events are kept at least once every group passed them
 * @param events events ever logged, all partitions together (the sum of the partitions' heads;
 *     scheduled events count once released)
 * @param groups the registered groups, sorted
 */
public record TopicInfo(String name, int partitions, Duration retention, long events,
    List<String> groups) {

  /** Copies {@code groups}. */
  public TopicInfo {
    groups = List.copyOf(groups);
  }
}
