package io.tito.relay.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.tito.InvalidArgumentException;
import io.tito.pubsub.Event;
import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Sends relayed events to a NATS JetStream stream. Each event becomes one message on the
 * {@linkplain Builder#subject subject} with the event's payload, the {@linkplain RelayHeaders
 * relay headers} and {@code Nats-Msg-Id} set to the event id, so the stream drops a copy of an
 * event it stored within its duplicate window (set the stream's {@code duplicate_window} to
 * cover the longest relay outage you want absorbed; the server default is 2 minutes). A batch is
 * published asynchronously on one connection (the server stores the messages in the order sent)
 * and {@link #send} returns once the stream acknowledged every message.
 *
 * <p>The connection opens on the first send and again, new, on the send after it was lost. The
 * sink turns jnats's own reconnecting off ({@code maxReconnects(0)} and {@code
 * reconnectBufferSize(0)} on a copy of the options): after reconnecting, jnats sends what was
 * still queued for the old connection, behind an earlier message lost with it, which would then
 * arrive after later messages of its key (the outage test saw it). A lost connection fails the
 * sends in flight instead, and so does a send whose acknowledgements do not arrive within the
 * {@linkplain Builder#ackTimeout ack timeout}; the relay sends again, in order. Thread-safe.
 *
 * <pre>{@code
 * RelaySink sink = NatsRelaySink.builder(new Options.Builder().server("nats://127.0.0.1:4222").build())
 *     .subject("orders.events").stream("ORDERS").build();
 * Relay relay = Relay.start(tito.topics(), "orders", "nats-relay", sink);
 * }</pre>
 */
public final class NatsRelaySink implements RelaySink {

  private final Options options;
  private final Function<Event, String> subject;
  private final String stream;
  private final Duration ackTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong duplicates = new AtomicLong();
  private Connection connection;
  private JetStream jetStream;
  private boolean closed;

  private NatsRelaySink(Builder b) {
    // No reconnecting by jnats: after a reconnect it would send the messages still queued from the
    // old connection, behind an earlier one lost with it, breaking key order. This sink opens a
    // new connection on the next send instead, and the relay resends in order.
    this.options = new Options.Builder(b.options).maxReconnects(0).reconnectBufferSize(0).build();
    this.subject = b.subject;
    this.stream = b.stream;
    this.ackTimeout = b.ackTimeout;
  }

  /** A builder for a sink connecting with {@code options} (servers, credentials, reconnects). */
  public static Builder builder(Options options) {
    if (options == null) {
      throw new InvalidArgumentException("NATS options must not be null", Map.of("setting", "options"));
    }
    return new Builder(options);
  }

  @Override
  public void send(List<Event> batch) throws IOException, InterruptedException, TimeoutException {
    JetStream js = jetStream();
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(batch.size());
    for (Event e : batch) {
      Headers headers = new Headers();
      RelayHeaders.of(e).forEach(headers::put);
      PublishOptions.Builder po = PublishOptions.builder().messageId(e.id().toString());
      if (stream != null) {
        po.expectedStream(stream);
      }
      acks.add(js.publishAsync(subject.apply(e), headers, e.payload(), po.build()));
    }
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    for (CompletableFuture<PublishAck> f : acks) {
      PublishAck ack;
      try {
        ack = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.CancellationException ex) {
        throw new IOException("NATS connection lost before JetStream acknowledged", ex);
      } catch (ExecutionException ex) {
        Throwable cause = ex.getCause();
        throw new IOException("JetStream refused a relayed message: " + cause, cause);
      }
      if (ack.isDuplicate()) {
        duplicates.incrementAndGet();
      }
    }
  }

  private JetStream jetStream() throws IOException, InterruptedException {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("NATS relay sink is closed");
      }
      if (connection == null || connection.getStatus() == Connection.Status.CLOSED) {
        if (connection != null) {
          connection.close();
        }
        connection = null;
        Connection c = Nats.connect(options);
        jetStream = c.jetStream();
        connection = c;
      }
      return jetStream;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Messages the stream acknowledged as duplicates (an event id it already held) and did not
   * store again, since this sink was made.
   */
  public long duplicatesDropped() {
    return duplicates.get();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (connection != null) {
        connection.close();
        connection = null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Builder of {@link NatsRelaySink}; not thread-safe. */
  public static final class Builder {
    private final Options options;
    private Function<Event, String> subject;
    private String stream;
    private Duration ackTimeout = Duration.ofSeconds(30);

    private Builder(Options options) {
      this.options = options;
    }

    /** Every event goes to this subject. Required (this or {@link #subject(Function)}). */
    public Builder subject(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidArgumentException("subject must not be blank", Map.of("setting", "subject"));
      }
      this.subject = e -> value;
      return this;
    }

    /**
     * The subject of each event (e.g. from its topic or key; mind that NATS subjects take no
     * spaces or wildcards). Events of one key must map to subjects of one stream.
     */
    public Builder subject(Function<Event, String> value) {
      if (value == null) {
        throw new InvalidArgumentException("subject must not be null", Map.of("setting", "subject"));
      }
      this.subject = value;
      return this;
    }

    /** The stream the subject must belong to (checked by the server per message); optional. */
    public Builder stream(String value) {
      this.stream = value;
      return this;
    }

    /** How long a send waits for the stream's acknowledgements; default 30 s. */
    public Builder ackTimeout(Duration value) {
      if (value == null || !value.isPositive()) {
        throw new InvalidArgumentException("ackTimeout must be positive",
            Map.of("setting", "ackTimeout", "value", String.valueOf(value)));
      }
      this.ackTimeout = value;
      return this;
    }

    /** @throws InvalidArgumentException if no subject was set */
    public NatsRelaySink build() {
      if (subject == null) {
        throw new InvalidArgumentException("a subject is required", Map.of("setting", "subject"));
      }
      return new NatsRelaySink(this);
    }
  }
}
