package io.tito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.spi.EngineProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One way in: Tito.open(url), shared topics, typed modules closed with the store. */
class FrontDoorTest {

  /** A module whose object records when it is closed. */
  static final class Counter implements AutoCloseable {
    final Tito tito;
    final List<String> log;

    Counter(Tito tito, List<String> log) {
      this.tito = tito;
      this.log = log;
    }

    @Override
    public void close() {
      log.add("closed while engine open: " + !((Closing) tito.engine()).closed);
    }
  }

  /** An engine that remembers being closed. */
  static final class Closing extends io.tito.spi.ForwardingEngine {
    volatile boolean closed;

    Closing() {
      super(new MemoryEngine());
    }

    @Override
    public void close() {
      closed = true;
      super.close();
    }
  }

  record CounterModule(List<String> log) implements TitoModule<Counter> {
    @Override
    public Class<Counter> type() {
      return Counter.class;
    }

    @Override
    public Counter open(Tito tito) {
      log.add("opened");
      return new Counter(tito, log);
    }
  }

  @Test
  void memoryUrlOpensTheMemoryEngine() {
    try (Tito tito = Tito.open("memory:")) {
      assertThat(tito.engine()).isInstanceOf(MemoryEngine.class);
      tito.inTransaction(tx -> tx.set(new byte[] {1}, new byte[] {2}));
      byte[] v = tito.read(tx -> tx.get(new byte[] {1}));
      assertThat(v).containsExactly(2);
    }
  }

  @Test
  void urlQueryParametersAreEngineSettings() {
    try (Tito tito = Tito.open("memory:?maxTransactionAgeMillis=1234")) {
      assertThat(((MemoryEngine) tito.engine()).maxTransactionAge().toMillis()).isEqualTo(1234);
    }
    assertThatThrownBy(() -> Tito.open("memory:?nope=1"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown engine settings");
  }

  @Test
  void anUnknownSchemeNamesTheAvailableEngines() {
    assertThatThrownBy(() -> Tito.open("cassandra://x"))
        .isInstanceOf(InvalidArgumentException.class)
        .satisfies(e -> assertThat(((InvalidArgumentException) e).context())
            .containsEntry("scheme", "cassandra"));
  }

  @Test
  void queryParametersArePercentDecodedAndRepeatsRefused() {
    assertThat(EngineProvider.queryParameters("a=x%20y&b=2")).containsExactly(
        Map.entry("a", "x y"), Map.entry("b", "2"));
    assertThatThrownBy(() -> EngineProvider.queryParameters("a=1&a=2"))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void topicsAreMadeOnceAndUseTheStoreClock() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (Tito tito = Tito.builder().url("memory:").clock(clock).build()) {
      assertThat(tito.topics()).isSameAs(tito.topics());
      assertThat(tito.clock()).isSameAs(clock);
      tito.topics().createTopic("t");
      tito.topics().publish("t", Message.of("k", new byte[0]));
      int p = io.tito.pubsub.Topics.partitionOf("k", 8);
      assertThat(tito.topics().read("t", p, 0, 1).get(0).publishedAt())
          .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
  }

  @Test
  void modulesOpenOnceAreFoundByTypeAndCloseBeforeTheEngine() {
    List<String> log = new ArrayList<>();
    Tito tito = Tito.builder().engine(new Closing()).with(new CounterModule(log)).build();
    Counter c = tito.module(Counter.class);
    assertThat(tito.module(Counter.class)).isSameAs(c);
    assertThat(c.tito).isSameAs(tito);
    tito.close();
    assertThat(log).containsExactly("opened", "closed while engine open: true");
  }

  @Test
  void anUnregisteredModuleTypeIsAnError() {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      assertThatThrownBy(() -> tito.module(Counter.class))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("no module of that type");
    }
  }

  @Test
  void twoModulesOfOneTypeAreRefusedAndAFailingModuleClosesTheEngine() {
    List<String> log = new ArrayList<>();
    assertThatThrownBy(() -> Tito.builder().engine(new Closing())
        .with(new CounterModule(log)).with(new CounterModule(log)).build())
        .isInstanceOf(InvalidArgumentException.class);
    Closing engine = new Closing();
    TitoModule<String> failing = new TitoModule<>() {
      @Override
      public Class<String> type() {
        return String.class;
      }

      @Override
      public String open(Tito tito) {
        throw new InvalidArgumentException("bad module", Map.of());
      }
    };
    assertThatThrownBy(() -> Tito.builder().engine(engine).with(new CounterModule(log))
        .with(failing).build()).hasMessageContaining("bad module");
    assertThat(engine.closed).isTrue();
    assertThat(log).containsExactly("opened", "closed while engine open: true");
  }
}
