package io.tito.relay;

import io.tito.pubsub.Event;
import java.util.List;

/**
 * Where a {@link Relay} sends events: one message broker destination. Implementations are
 * thread-safe: a relay calls {@link #send} from one thread per partition it is working on, at
 * the same time.
 */
public interface RelaySink extends AutoCloseable {

  /**
   * Sends consecutive events of one partition, in position order, and returns only once the
   * broker acknowledged every one of them as stored (durably, as far as the broker promises).
   * Messages of one key must reach the broker in the order given.
   *
   * <p>If it throws, some of the events may nevertheless be stored: the relay sends them again
   * (the group's retry), and the broker's deduplication by {@link RelayHeaders#EVENT_ID}, where it
   * has one, or the consumer removes the copies. A sink must not throw after every event was
   * acknowledged, and must not return before.
   *
   * @param batch one to {@link io.tito.pubsub.SubscribeOptions#fetchSize} events, never empty
   * @throws Exception if the broker is unreachable, refused an event or did not acknowledge it in
   *     time; the events count as a failed attempt of the group
   */
  void send(List<Event> batch) throws Exception;

  /** Releases the broker connection. Idempotent; {@link #send} fails afterwards. */
  @Override
  void close();
}
