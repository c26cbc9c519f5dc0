package io.tito.relay.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.tito.pubsub.Event;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A dead connection is aborted with a bound on how long it may wait for the broker, and never
 * while the sink's lock is held; no broker: the connections are stand-ins that record calls.
 */
class RabbitRelaySinkAbortTest {

  /** A connection stand-in: its channels accept every call; records aborts and the lock's state. */
  private static final class FakeConnection {
    final AtomicBoolean open = new AtomicBoolean(true);
    final AtomicBoolean channelsOpen = new AtomicBoolean(true);
    final List<String> aborts = new CopyOnWriteArrayList<>();
    RabbitRelaySink sink;

    Connection proxy() {
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (p, m, args) -> switch (m.getName()) {
            case "isOpen" -> open.get();
            case "createChannel" -> channel();
            case "abort" -> {
              aborts.add(m.getName() + (args == null ? "()" : "(" + args[0] + ")")
                  + (sink.lockHeld() ? " under the lock" : ""));
              open.set(false);
              yield null;
            }
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == args[0];
            default -> null;
          });
    }

    private Channel channel() {
      return (Channel) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Channel.class}, (p, m, args) -> switch (m.getName()) {
            case "isOpen" -> channelsOpen.get();
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == args[0];
            default -> null;
          });
    }
  }

  @Test
  void deadConnectionsAreAbortedWithABoundOutsideTheLock() throws Exception {
    List<FakeConnection> made = new CopyOnWriteArrayList<>();
    RabbitRelaySink[] sink = new RabbitRelaySink[1];
    ConnectionFactory factory = new ConnectionFactory() {
      @Override
      public Connection newConnection(String name) {
        FakeConnection c = new FakeConnection();
        c.sink = sink[0];
        made.add(c);
        return c.proxy();
      }
    };
    sink[0] = RabbitRelaySink.builder(factory).exchange("x").build();
    List<Event> batch = List.of(new Event("t", 0, 1, UUID.randomUUID(), "k", new byte[] {1},
        Map.of(), Instant.EPOCH, null));

    sink[0].send(batch);
    made.get(0).open.set(false); // the broker went away: the connection and its channel died
    made.get(0).channelsOpen.set(false);
    sink[0].send(batch);
    sink[0].close();

    assertThat(made).hasSize(2);
    String bounded = "abort(" + RabbitRelaySink.ABORT_TIMEOUT_MILLIS + ")";
    assertThat(made.get(0).aborts).as("the dead connection").containsExactly(bounded);
    assertThat(made.get(1).aborts).as("the live one, at close").containsExactly(bounded);
  }
}
