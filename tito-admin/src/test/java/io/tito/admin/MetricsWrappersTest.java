package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tito.ConflictException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The handler and commit meters count exactly the work done. */
class MetricsWrappersTest {

  @Test
  void commitsAndConflictsAreCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Engine engine = TitoMetrics.engine(registry, new MemoryEngine());
    byte[] key = {1};
    try (EngineTransaction a = engine.begin(false); EngineTransaction b = engine.begin(false)) {
      a.get(key);
      b.get(key);
      a.set(key, new byte[] {1});
      b.set(key, new byte[] {2});
      a.commit();
      assertThatThrownBy(b::commit).isInstanceOf(ConflictException.class);
    }
    try (EngineTransaction r = engine.begin(true)) {
      r.get(key);
      r.commit();
    }
    assertThat(registry.get("tito.commit.latency").tag("outcome", "committed").timer().count())
        .as("read-only transactions are not timed").isEqualTo(1);
    assertThat(registry.get("tito.commit.latency").tag("outcome", "conflict").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("tito.commit.conflicts").counter().count()).isEqualTo(1);
    engine.close();
  }

  @Test
  void readsAnEngineAnswersItsOwnWayArePassedOn() {
    java.util.List<String> calls = new java.util.ArrayList<>();
    Engine recording = new io.tito.spi.ForwardingEngine(new MemoryEngine()) {
      @Override
      public java.util.List<java.util.List<io.tito.KeyValue>> readOnce(
          java.util.List<io.tito.RangeRead> reads) {
        calls.add("readOnce");
        return delegate().readOnce(reads);
      }

      @Override
      public EngineTransaction begin(boolean readOnly) {
        EngineTransaction tx = super.begin(readOnly);
        return new io.tito.spi.ForwardingEngineTransaction(tx) {
          @Override
          public byte[] getExpectingAbsent(byte[] key) {
            calls.add("getExpectingAbsent");
            return tx.getExpectingAbsent(key);
          }

          @Override
          public java.util.List<byte[]> getAllExpectingAbsent(java.util.List<byte[]> keys,
              int usuallyAbsent) {
            calls.add("getAllExpectingAbsent");
            return tx.getAllExpectingAbsent(keys, usuallyAbsent);
          }

          @Override
          public void expect(byte[] key, byte[] expected) {
            calls.add("expect");
            tx.expect(key, expected);
          }
        };
      }
    };
    Engine engine = TitoMetrics.engine(new SimpleMeterRegistry(), recording);
    try (EngineTransaction tx = engine.begin(false)) {
      assertThat(tx.getExpectingAbsent(new byte[] {1})).isNull();
      assertThat(tx.getAllExpectingAbsent(java.util.List.of(new byte[] {2}), 1)).hasSize(1);
      tx.expect(new byte[] {3}, null);
      tx.commit();
    }
    assertThat(engine.readOnce(java.util.List.of(io.tito.RangeRead.point(new byte[] {1}))))
        .hasSize(1);
    assertThat(calls).containsExactly("getExpectingAbsent", "getAllExpectingAbsent", "expect",
        "readOnce");
    engine.close();
  }

  @Test
  void handledAndFailedEventsAreCountedAndTimed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Tito tito = Tito.builder().engine(TitoMetrics.engine(registry, new MemoryEngine()))
        .build()) {
      tito.topics().createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
      AtomicInteger calls = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        tito.topics().publish("t", Message.of("k", new byte[] {(byte) i}));
      }
      try (Subscription s = tito.topics().subscribe("t", "g",
          TitoMetrics.handler(registry, "t", "g", e -> {
            if (calls.incrementAndGet() == 2) {
              throw new IllegalStateException("once");
            }
          }), SubscribeOptions.builder().backoff(Duration.ofMillis(5), Duration.ofMillis(5))
              .pollInterval(Duration.ofMillis(20)).build())) {
        Fixture.await("three handled", () -> registry.find("tito.events.handled").counter() != null
            && registry.get("tito.events.handled").counter().count() == 3);
      }
      assertThat(registry.get("tito.events.failed").counter().count()).isEqualTo(1);
      assertThat(registry.get("tito.handler.latency").tag("outcome", "ok").timer().count())
          .isEqualTo(3);
      assertThat(registry.get("tito.handler.latency").tag("outcome", "failed").timer().count())
          .isEqualTo(1);
      assertThat(registry.get("tito.commit.latency").tag("outcome", "committed").timer().count())
          .as("publishes and checkpoints at least").isGreaterThanOrEqualTo(6);
    }
  }
}
