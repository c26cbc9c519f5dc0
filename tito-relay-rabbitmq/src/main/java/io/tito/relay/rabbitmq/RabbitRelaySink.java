package io.tito.relay.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.tito.InvalidArgumentException;
import io.tito.pubsub.Event;
import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Sends relayed events to a RabbitMQ exchange with publisher confirms. Each event becomes one
 * persistent message (delivery mode 2) whose routing key is the event's partition key (or the
 * {@linkplain Builder#routingKey chosen} one), {@code message-id} the event id, {@code timestamp}
 * the publish time, and headers the {@linkplain RelayHeaders relay headers}. Messages are
 * published {@code mandatory}: one that no queue takes is returned by the broker and fails the
 * send (it is retried, then dead-lettered) instead of being lost.
 *
 * <p>A batch is published on one confirm-mode channel (each concurrent send on its own channel of
 * one shared connection) and {@link #send} returns once the broker confirmed every message (for a durable queue, once it is written to disk). RabbitMQ keeps no
 * deduplication of its own: consumers drop copies by {@code message-id} (an event is sent again
 * only if the relay stopped between the broker's confirm and the checkpoint commit, or a send
 * failed part way). Order per routing key holds into a queue, as one channel publishes in
 * order.
 *
 * <p>Channels are not thread-safe, so each send takes an idle channel (or opens one) and gives it
 * back after the confirms; a failed send discards its channel. The connection opens on the first
 * send and again after it closed; the factory's automatic recovery is not needed. Thread-safe.
 *
 * <p>The confirm timeout bounds the wait for confirms only. Opening or closing a channel waits for
 * the broker's reply up to the factory's {@code channelRpcTimeout} (the client's default is 10
 * minutes), and a peer that vanished without closing the socket is noticed by heartbeats: when
 * the broker may disappear (a failover, a network cut), set {@code
 * factory.setChannelRpcTimeout(...)} and {@code factory.setRequestedHeartbeat(...)} to a few
 * seconds so that a send fails, and is retried, within that time.
 *
 * <pre>{@code
 * ConnectionFactory factory = new ConnectionFactory();
 * factory.setHost("127.0.0.1");
 * RelaySink sink = RabbitRelaySink.builder(factory).exchange("orders").build();
 * Relay relay = Relay.start(tito.topics(), "orders", "rabbit-relay", sink);
 * }</pre>
 */
public final class RabbitRelaySink implements RelaySink {

  /**
   * How long aborting a connection may wait for the broker (a dead or unresponsive one never
   * answers); aborts run outside the sink's lock, so other sends never wait for them.
   */
  static final int ABORT_TIMEOUT_MILLIS = 5_000;

  private final ConnectionFactory factory;
  private final String exchange;
  private final Function<Event, String> routingKey;
  private final Duration confirmTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Queue<ConfirmChannel> idle = new ArrayDeque<>();
  private Connection connection;
  private boolean closed;

  private RabbitRelaySink(Builder b) {
    this.factory = b.factory;
    this.exchange = b.exchange;
    this.routingKey = b.routingKey;
    this.confirmTimeout = b.confirmTimeout;
  }

  /** A builder for a sink whose connections come from {@code factory} (host, credentials, TLS). */
  public static Builder builder(ConnectionFactory factory) {
    if (factory == null) {
      throw new InvalidArgumentException("connection factory must not be null",
          Map.of("setting", "factory"));
    }
    return new Builder(factory);
  }

  @Override
  public void send(List<Event> batch) throws IOException, TimeoutException, InterruptedException {
    ConfirmChannel ch = take();
    try {
      ch.returned.clear();
      for (Event e : batch) {
        ch.channel.basicPublish(exchange, routingKey.apply(e), true, properties(e), e.payload());
      }
      ch.channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
      if (!ch.returned.isEmpty()) {
        throw new IOException("RabbitMQ returned " + ch.returned.size()
            + " relayed message(s) that no queue took (exchange '" + exchange + "'), e.g. event "
            + ch.returned.iterator().next());
      }
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      ch.abort();
      throw e;
    }
    release(ch);
  }

  private static AMQP.BasicProperties properties(Event e) {
    Map<String, Object> headers = new HashMap<>(RelayHeaders.of(e));
    return new AMQP.BasicProperties.Builder()
        .messageId(e.id().toString())
        .deliveryMode(2)
        .contentType("application/octet-stream")
        .timestamp(Date.from(e.publishedAt()))
        .headers(headers)
        .build();
  }

  /** An idle open channel, or a new one (on a new connection if the old one closed). */
  private ConfirmChannel take() throws IOException, TimeoutException {
    Connection dead = null;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("RabbitMQ relay sink is closed");
      }
      for (ConfirmChannel c; (c = idle.poll()) != null; ) {
        if (c.channel.isOpen()) {
          return c;
        }
      }
      if (connection == null || !connection.isOpen()) {
        dead = connection;
        connection = null;
        connection = factory.newConnection("tito-relay");
      }
      return new ConfirmChannel(connection.createChannel());
    } finally {
      lock.unlock();
      abort(dead);
    }
  }

  /** Whether the calling thread holds the sink's lock (for tests). */
  boolean lockHeld() {
    return lock.isHeldByCurrentThread();
  }

  /** Aborts {@code c} (null: nothing), waiting at most {@link #ABORT_TIMEOUT_MILLIS}. */
  private static void abort(Connection c) {
    if (c != null) {
      c.abort(ABORT_TIMEOUT_MILLIS);
    }
  }

  private void release(ConfirmChannel ch) {
    boolean kept;
    lock.lock();
    try {
      kept = !closed && idle.add(ch);
    } finally {
      lock.unlock();
    }
    if (!kept) {
      ch.abort();
    }
  }

  /** A channel in confirm mode with the ids of the messages the broker returned on it. */
  private static final class ConfirmChannel {
    final Channel channel;
    final Set<String> returned = ConcurrentHashMap.newKeySet();

    ConfirmChannel(Channel channel) throws IOException {
      this.channel = channel;
      channel.confirmSelect();
      channel.addReturnListener(r -> returned.add(String.valueOf(r.getProperties().getMessageId())));
    }

    void abort() {
      try {
        channel.abort();
      } catch (IOException | RuntimeException e) {
        // aborting a broken channel: nothing more to release
      }
    }
  }

  @Override
  public void close() {
    List<ConfirmChannel> channels = new java.util.ArrayList<>();
    Connection last;
    lock.lock();
    try {
      closed = true;
      for (ConfirmChannel c; (c = idle.poll()) != null; ) {
        channels.add(c);
      }
      last = connection;
      connection = null;
    } finally {
      lock.unlock();
    }
    for (ConfirmChannel c : channels) {
      c.abort();
    }
    abort(last);
  }

  /** Builder of {@link RabbitRelaySink}; not thread-safe. */
  public static final class Builder {
    private final ConnectionFactory factory;
    private String exchange;
    private Function<Event, String> routingKey = Event::key;
    private Duration confirmTimeout = Duration.ofSeconds(30);

    private Builder(ConnectionFactory factory) {
      this.factory = factory;
    }

    /**
     * The exchange to publish to (declare it, its queues and bindings beforehand). Required; the
     * empty string is the default exchange, where the routing key names the queue.
     */
    public Builder exchange(String value) {
      if (value == null) {
        throw new InvalidArgumentException("exchange must not be null", Map.of("setting", "exchange"));
      }
      this.exchange = value;
      return this;
    }

    /**
     * The routing key of each event; default its partition key. RabbitMQ takes at most 255
     * bytes: a longer key fails the send (and the event ends as a dead letter).
     */
    public Builder routingKey(Function<Event, String> value) {
      if (value == null) {
        throw new InvalidArgumentException("routingKey must not be null",
            Map.of("setting", "routingKey"));
      }
      this.routingKey = value;
      return this;
    }

    /** How long a send waits for the broker's confirms; default 30 s. */
    public Builder confirmTimeout(Duration value) {
      if (value == null || !value.isPositive()) {
        throw new InvalidArgumentException("confirmTimeout must be positive",
            Map.of("setting", "confirmTimeout", "value", String.valueOf(value)));
      }
      this.confirmTimeout = value;
      return this;
    }

    /** @throws InvalidArgumentException if no exchange was set */
    public RabbitRelaySink build() {
      if (exchange == null) {
        throw new InvalidArgumentException("an exchange is required", Map.of("setting", "exchange"));
      }
      return new RabbitRelaySink(this);
    }
  }
}
