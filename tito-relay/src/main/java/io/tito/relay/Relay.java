package io.tito.relay;

import io.tito.InvalidArgumentException;
import io.tito.pubsub.Event;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A worker of a consumer group that forwards a topic's events to a broker through a {@link
 * RelaySink}. It is an ordinary {@linkplain Topics#subscribeBatches batch subscription}: each
 * batch (consecutive events of one partition, up to {@link SubscribeOptions#fetchSize}) goes to
 * the sink, and the group's checkpoint advances past it only after {@link RelaySink#send}
 * returned, that is after the broker acknowledged every event of it. So:
 *
 * <ul>
 *   <li>every event reaches the broker at least once; an event is sent again only if the relay
 *       stopped (or failed) after the broker acknowledged it and before the checkpoint commit,
 *       and then carries the same {@link RelayHeaders#EVENT_ID}, the broker's deduplication key;
 *   <li>events of one key reach the broker in position order (one partition is relayed by one
 *       worker at a time, one batch after the other);
 *   <li>a failed send is retried and finally dead-lettered exactly as any group's handler
 *       failure: the batch is retried event by event with the options' backoff, and an event
 *       that fails {@link SubscribeOptions#maxAttempts} times becomes a dead letter of the group
 *       ({@link Topics#deadLetters}, {@link Topics#requeue}). A dead-lettered event is relayed
 *       after later events of its key once requeued.
 * </ul>
 *
 * <p>Run several relays with the same group (in one process or many) to share the partitions;
 * leases keep one worker per partition. Closing the relay closes the subscription gracefully,
 * then the sink. Thread-safe.
 */
public final class Relay implements AutoCloseable {

  /**
   * The options {@link #start(Topics, String, String, RelaySink)} uses: the subscription
   * defaults with batches of up to 256 events, so that a broker round trip carries many events.
   */
  public static final SubscribeOptions DEFAULT_OPTIONS =
      SubscribeOptions.builder().fetchSize(256).build();

  private final RelaySink sink;
  private final Subscription subscription;
  private final LongAdder relayed = new LongAdder();

  private Relay(Topics topics, String topic, String group, RelaySink sink,
      SubscribeOptions options) {
    this.sink = sink;
    this.subscription = topics.subscribeBatches(topic, group, this::relay, options);
  }

  /**
   * Starts a relay worker of {@code group} on {@code topic} (registering the group if new, from
   * {@link SubscribeOptions#start}). On success the relay owns {@code sink} and closes it when
   * closed; if starting fails the caller still owns it.
   *
   * @throws InvalidArgumentException naming a null argument
   * @throws io.tito.NotFoundException if the topic does not exist
   */
  public static Relay start(Topics topics, String topic, String group, RelaySink sink,
      SubscribeOptions options) {
    Map<String, Object> args = new HashMap<>();
    args.put("topics", topics);
    args.put("topic", topic);
    args.put("group", group);
    args.put("sink", sink);
    args.put("options", options);
    for (Map.Entry<String, Object> a : args.entrySet()) {
      if (a.getValue() == null) {
        throw new InvalidArgumentException("relay argument must not be null",
            Map.of("setting", a.getKey()));
      }
    }
    return new Relay(topics, topic, group, sink, options);
  }

  /** {@link #start(Topics, String, String, RelaySink, SubscribeOptions)} with {@link #DEFAULT_OPTIONS}. */
  public static Relay start(Topics topics, String topic, String group, RelaySink sink) {
    return start(topics, topic, group, sink, DEFAULT_OPTIONS);
  }

  private void relay(List<Event> batch) throws Exception {
    sink.send(batch);
    relayed.add(batch.size());
  }

  /** The underlying group worker (its id, owned partitions). */
  public Subscription subscription() {
    return subscription;
  }

  /**
   * Events this relay had acknowledged by the broker since it started, counting every send
   * (an event sent again after a failed batch counts again).
   */
  public long relayed() {
    return relayed.sum();
  }

  /**
   * Stops the subscription gracefully within {@code timeout} (in-flight sends may finish and
   * commit their checkpoint), then closes the sink. Idempotent.
   *
   * @return whether the subscription finished within the timeout
   */
  public boolean close(Duration timeout) {
    try {
      return subscription.close(timeout);
    } finally {
      sink.close();
    }
  }

  /** {@link #close(Duration)} with the options' {@link SubscribeOptions#shutdownTimeout}. */
  @Override
  public void close() {
    try {
      subscription.close();
    } finally {
      sink.close();
    }
  }
}
