package io.tito.relay.kafka;

import io.tito.InvalidArgumentException;
import io.tito.pubsub.Event;
import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends relayed events to a Kafka topic. Each event becomes one record with the partition key as
 * the record key (Kafka's partitioner keeps a key in one Kafka partition, so order per key
 * holds), the payload as value, the publish time as timestamp and the {@linkplain RelayHeaders
 * relay headers} (the event id in {@link RelayHeaders#EVENT_ID}) as headers.
 *
 * <p>The producer is idempotent with {@code acks=all} (set by this sink; a configuration asking
 * for less is refused): the broker drops the copies the producer's own retries would make, and a
 * record is acknowledged once every in-sync replica has it. Kafka keeps no deduplication across
 * producer sessions, so an event the relay sends again after a restart (it was acknowledged, the
 * checkpoint had not moved) is stored twice with the same event id: consumers deduplicate by it.
 *
 * <p>Without a {@linkplain Builder#transactionalId transactional id}, batches of several
 * partitions are sent at once on one shared producer and {@link #send} returns once every record
 * of its batch is acknowledged. With one, each batch is one Kafka transaction (sends are
 * serialized): {@code read_committed} consumers see a batch whole or not at all, and a restarted
 * relay with the same id fences its predecessor's producer. Use one transactional id per running
 * relay worker. After a failure the transactional producer is replaced (its open transaction
 * aborted) on the next send.
 *
 * <p>The producer is created on the first send. Thread-safe.
 *
 * <pre>{@code
 * RelaySink sink = KafkaRelaySink.builder(Map.of("bootstrap.servers", "kafka:9092"))
 *     .topic("orders").build();
 * Relay relay = Relay.start(tito.topics(), "orders", "kafka-relay", sink);
 * }</pre>
 */
public final class KafkaRelaySink implements RelaySink {

  private final Map<String, Object> config;
  private final Function<Event, String> topic;
  private final boolean transactional;
  private final Duration sendTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private Producer<String, byte[]> producer;
  private boolean closed;

  private KafkaRelaySink(Builder b, Map<String, Object> config) {
    this.config = config;
    this.topic = b.topic;
    this.transactional = b.transactionalId != null;
    this.sendTimeout = b.sendTimeout;
  }

  /**
   * A builder for a sink whose producer is configured by {@code producerConfig} (at least {@code
   * bootstrap.servers}). The sink sets {@code enable.idempotence=true}, {@code acks=all}, the
   * serializers and, unless given, {@code linger.ms=5}.
   */
  public static Builder builder(Map<String, ?> producerConfig) {
    if (producerConfig == null) {
      throw new InvalidArgumentException("producer config must not be null",
          Map.of("setting", "producerConfig"));
    }
    return new Builder(producerConfig);
  }

  @Override
  public void send(List<Event> batch) throws Exception {
    if (transactional) {
      sendInTransaction(batch);
      return;
    }
    Producer<String, byte[]> p = producer();
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    try {
      for (Event e : batch) {
        acks.add(p.send(record(e)));
      }
      long deadline = System.nanoTime() + sendTimeout.toNanos();
      for (Future<RecordMetadata> f : acks) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      replaceIfFatal(p, cause);
      throw cause instanceof Exception e ? e : ex;
    } catch (RuntimeException ex) {
      replaceIfFatal(p, ex);
      throw ex;
    }
  }

  private void sendInTransaction(List<Event> batch) throws Exception {
    lock.lock();
    try {
      Producer<String, byte[]> p = producer();
      try {
        p.beginTransaction();
        for (Event e : batch) {
          p.send(record(e));
        }
        p.commitTransaction();
      } catch (RuntimeException ex) {
        // A new producer with the same transactional id aborts what this one left open.
        discard(p);
        throw ex;
      }
    } finally {
      lock.unlock();
    }
  }

  private ProducerRecord<String, byte[]> record(Event e) {
    List<Header> headers = new ArrayList<>();
    RelayHeaders.of(e).forEach((k, v) -> headers.add(
        new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    return new ProducerRecord<>(topic.apply(e), null, e.publishedAt().toEpochMilli(), e.key(),
        e.payload(), headers);
  }

  private Producer<String, byte[]> producer() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("Kafka relay sink is closed");
      }
      if (producer == null) {
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(config);
        if (transactional) {
          try {
            p.initTransactions();
          } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
          }
        }
        producer = p;
      }
      return producer;
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the producer unless the failure is one it recovers from by itself. */
  private void replaceIfFatal(Producer<String, byte[]> p, Throwable failure) {
    if (failure instanceof RetriableException) {
      return;
    }
    discard(p);
  }

  private void discard(Producer<String, byte[]> p) {
    lock.lock();
    try {
      if (producer == p) {
        producer = null;
      }
    } finally {
      lock.unlock();
    }
    p.close(Duration.ZERO);
  }

  @Override
  public void close() {
    Producer<String, byte[]> p;
    lock.lock();
    try {
      closed = true;
      p = producer;
      producer = null;
    } finally {
      lock.unlock();
    }
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
  }

  /** Builder of {@link KafkaRelaySink}; not thread-safe. */
  public static final class Builder {
    private final Map<String, ?> producerConfig;
    private Function<Event, String> topic;
    private String transactionalId;
    private Duration sendTimeout = Duration.ofMinutes(2);

    private Builder(Map<String, ?> producerConfig) {
      this.producerConfig = producerConfig;
    }

    /** Every event goes to this Kafka topic. Required (this or {@link #topic(Function)}). */
    public Builder topic(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidArgumentException("Kafka topic must not be blank", Map.of("setting", "topic"));
      }
      this.topic = e -> value;
      return this;
    }

    /** The Kafka topic of each event (all events of one key must map to one topic). */
    public Builder topic(Function<Event, String> value) {
      if (value == null) {
        throw new InvalidArgumentException("Kafka topic must not be null", Map.of("setting", "topic"));
      }
      this.topic = value;
      return this;
    }

    /**
     * Sends each batch in a Kafka transaction under this {@code transactional.id} (one per
     * running relay worker); default none.
     */
    public Builder transactionalId(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidArgumentException("transactional id must not be blank",
            Map.of("setting", "transactionalId"));
      }
      this.transactionalId = value;
      return this;
    }

    /**
     * How long a non-transactional send waits for its acknowledgements after handing the
     * records over; default 2 min, Kafka's own {@code delivery.timeout.ms}. A transactional
     * commit is bounded by the producer's {@code max.block.ms}.
     */
    public Builder sendTimeout(Duration value) {
      if (value == null || !value.isPositive()) {
        throw new InvalidArgumentException("sendTimeout must be positive",
            Map.of("setting", "sendTimeout", "value", String.valueOf(value)));
      }
      this.sendTimeout = value;
      return this;
    }

    /**
     * @throws InvalidArgumentException if no topic was set, {@code bootstrap.servers} is
     *     missing, or the configuration asks for {@code acks} other than all, turns idempotence
     *     off, or sets a {@code transactional.id} (use {@link #transactionalId})
     */
    public KafkaRelaySink build() {
      if (topic == null) {
        throw new InvalidArgumentException("a Kafka topic is required", Map.of("setting", "topic"));
      }
      Map<String, Object> config = new HashMap<>(producerConfig);
      if (!config.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
        throw new InvalidArgumentException("producer config needs bootstrap.servers",
            Map.of("setting", ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
      }
      refuse(config, ProducerConfig.ACKS_CONFIG, "all", "-1");
      refuse(config, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      if (config.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
        throw new InvalidArgumentException("set the transactional id with transactionalId(..)",
            Map.of("setting", ProducerConfig.TRANSACTIONAL_ID_CONFIG));
      }
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
      if (transactionalId != null) {
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      }
      return new KafkaRelaySink(this, Map.copyOf(config));
    }

    private static void refuse(Map<String, Object> config, String key, String... allowed) {
      Object v = config.get(key);
      if (v == null) {
        return;
      }
      for (String a : allowed) {
        if (a.equalsIgnoreCase(String.valueOf(v))) {
          return;
        }
      }
      throw new InvalidArgumentException("the relay needs " + key + "=" + allowed[0],
          Map.of("setting", key, "value", String.valueOf(v)));
    }
  }
}
