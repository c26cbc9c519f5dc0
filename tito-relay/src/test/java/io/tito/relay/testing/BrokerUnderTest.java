package io.tito.relay.testing;

import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.Relay;

import java.util.List;

/**
 * One broker destination made fresh for one test (a new Kafka topic, JetStream stream or RabbitMQ
 * queue), as the shared {@link RelayScenarios} drive it.
 */
public interface BrokerUnderTest {

  /** A new sink that sends to this destination. */
  RelaySink sink() throws Exception;

  /**
   * A new sink configured like {@link #sink()} but connecting to {@code 127.0.0.1:port} (a {@link
   * TcpProxy} in front of the broker). Brokers whose clients learn other addresses from the
   * broker (Kafka) do not support this.
   */
  default RelaySink sinkVia(int port) throws Exception {
    throw new UnsupportedOperationException("no proxied sink for this broker");
  }

  /** A new sink configured like {@link #sink()} but pointed at an address where no broker listens. */
  RelaySink unreachableSink() throws Exception;

  /** Every message now stored in the destination, in the broker's order per key. */
  List<Received> readAll() throws Exception;

  /** Whether the broker itself drops a message whose event id it already stored; default no. */
  default boolean deduplicates() {
    return false;
  }

  /**
   * Messages the broker reported as duplicates and dropped, over every sink made by {@link
   * #sink()}; default none.
   */
  default long duplicatesRemoved() {
    return 0;
  }

  /** A local TCP port where nothing listens (it was free a moment ago), for unreachable sinks. */
  static int unusedPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
