package io.tito.internal.pubsub;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.pubsub.TopicConfig;
import io.tito.tuple.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What every pub/sub component shares: store, clock, key layout, wake-ups, topic settings. */
public final class Context {

  final Tito tito;
  final Clock clock;
  final Keys keys;
  final Signals signals;
  private final Map<String, TopicConfig> topics = new ConcurrentHashMap<>();

  public Context(Tito tito, Clock clock) {
    this.tito = tito;
    this.clock = clock;
    this.keys = new Keys(tito.root());
    this.signals = Signals.of(tito.engine());
  }

  public Clock clock() {
    return clock;
  }

  long nowMillis() {
    return clock.millis();
  }

  /** The topic's settings read in {@code tx} (cached: they never change), or null if absent. */
  TopicConfig topic(Transaction tx, String topic) {
    requireName(topic, "topic");
    TopicConfig c = topics.get(topic);
    if (c != null) {
      return c;
    }
    byte[] v = tx.get(keys.topic(topic));
    if (v == null) {
      return null;
    }
    Tuple t = Tuple.unpack(v);
    c = new TopicConfig((int) t.getLong(0), Duration.ofMillis(t.getLong(1)));
    topics.put(topic, c);
    return c;
  }

  TopicConfig requireTopic(Transaction tx, String topic) {
    TopicConfig c = topic(tx, topic);
    if (c == null) {
      throw new NotFoundException("topic not found", Map.of("topic", topic));
    }
    return c;
  }

  TopicConfig requireTopic(String topic) {
    requireName(topic, "topic");
    TopicConfig c = topics.get(topic);
    return c != null ? c : tito.read(tx -> requireTopic(tx, topic));
  }

  /** The settings of an existing topic. @throws NotFoundException if absent */
  public TopicConfig config(String topic) {
    return requireTopic(topic);
  }

  static byte[] encodeTopic(TopicConfig c) {
    return Tuple.of(c.partitions(), c.retention().toMillis()).pack();
  }

  static void requireName(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException("name must not be empty", Map.of("name", what));
    }
  }

  static long readLong(Transaction tx, byte[] key, long absent) {
    byte[] v = tx.get(key);
    return v == null ? absent : Tuple.unpack(v).getLong(0);
  }
}
