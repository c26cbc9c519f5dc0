package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;

/**
 * The fixed settings of a topic, chosen when it is {@linkplain Topics#createTopic created}.
 *
 * @param partitions number of partitions, 1 to {@value #MAX_PARTITIONS}; default {@value
 *     #DEFAULT_PARTITIONS}. Fixed for the life of the topic: an event's partition is
 *     {@link Topics#partitionOf(String, int)} of its key, so changing it is a migration.
 * @param retention how long an event is kept at least, once every group has passed it; default
 *     7 days. {@link Duration#ZERO} deletes events as soon as every group has passed them.
 */
public record TopicConfig(int partitions, Duration retention) {

  /** Partition count of {@link #DEFAULTS}. */
  public static final int DEFAULT_PARTITIONS = 8;

  /** Largest partition count a topic may have. */
  public static final int MAX_PARTITIONS = 4096;

  /** 8 partitions, 7 days of retention. */
  public static final TopicConfig DEFAULTS = new TopicConfig(DEFAULT_PARTITIONS, Duration.ofDays(7));

  /**
   * @throws InvalidArgumentException naming the bad setting ({@code setting} in the context): a
   *     partition count out of range, or a null or negative retention
   */
  public TopicConfig {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new InvalidArgumentException("topic partitions must be 1 to 4096",
          Map.of("setting", "partitions", "value", partitions));
    }
    if (retention == null || retention.isNegative()) {
      throw new InvalidArgumentException("topic retention must be zero or positive",
          Map.of("setting", "retention", "value", String.valueOf(retention)));
    }
  }

  /** These settings with another partition count. */
  public TopicConfig withPartitions(int count) {
    return new TopicConfig(count, retention);
  }

  /** These settings with another retention. */
  public TopicConfig withRetention(Duration value) {
    return new TopicConfig(partitions, value);
  }
}
