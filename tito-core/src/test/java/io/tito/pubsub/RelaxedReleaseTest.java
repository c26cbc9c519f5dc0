package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyRange;
import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.internal.pubsub.Keys;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On an engine with {@link Capability#RELAXED_DURABILITY}, the transactions that release
 * scheduled events ask for it, and no other transaction does (publishes, consumers' own
 * checkpoint commits, the caller's transactions); on an engine without it nothing asks.
 */
class RelaxedReleaseTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final KeyRange due = keys.dueRange("t", 0);
  private final AtomicInteger relaxedReleases = new AtomicInteger();
  private final AtomicInteger durableReleases = new AtomicInteger();
  private final AtomicInteger relaxedOthers = new AtomicInteger();
  private final AtomicInteger durableOthers = new AtomicInteger();
  private Tito tito;
  private Subscription sub;

  private Tito open(boolean declared) {
    tito = Tito.builder().engine(new ForwardingEngine(new MemoryEngine()) {
      @Override
      public Set<Capability> capabilities() {
        EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
        caps.addAll(super.capabilities());
        if (declared) {
          caps.add(Capability.RELAXED_DURABILITY);
        }
        return caps;
      }

      @Override
      public EngineTransaction begin(boolean readOnly) {
        return new ForwardingEngineTransaction(super.begin(readOnly)) {
          private boolean relaxed;
          private boolean released;
          private boolean wrote;

          @Override
          public void relaxDurability() {
            relaxed = true;
            super.relaxDurability();
          }

          @Override
          public void clear(byte[] key) {
            released |= due.contains(key);
            wrote = true;
            super.clear(key);
          }

          @Override
          public void set(byte[] key, byte[] value) {
            wrote = true;
            super.set(key, value);
          }

          @Override
          public int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
            wrote = true;
            return super.appendSequenced(counterKey, prefix, value);
          }

          @Override
          public void commit() {
            super.commit();
            if (released) {
              (relaxed ? relaxedReleases : durableReleases).incrementAndGet();
            } else if (wrote) {
              (relaxed ? relaxedOthers : durableOthers).incrementAndGet();
            }
          }
        };
      }
    }).clock(clock).build();
    return tito;
  }

  @AfterEach
  void close() {
    if (sub != null) {
      sub.close(Duration.ofSeconds(5));
    }
    tito.close();
  }

  /** Publishes 10 due events, 10 immediate ones, a user write, and consumes all 20. */
  private void run() {
    Topics topics = tito.topics();
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant at = clock.instant().plus(Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      topics.publish("t", Message.of("k" + i, new byte[] {(byte) i}).deliverAt(at.plusMillis(i)));
    }
    clock.advance(Duration.ofSeconds(2));
    Map<Byte, Integer> deliveries = new ConcurrentHashMap<>();
    sub = topics.subscribe("t", "g", e -> deliveries.merge(e.payload()[0], 1, Integer::sum),
        Await.fast().fetchSize(4).start(StartPosition.EARLIEST).build());
    for (int i = 10; i < 20; i++) {
      topics.publish("t", Message.of("k" + i, new byte[] {(byte) i}));
    }
    tito.inTransaction(tx -> tx.set(new byte[] {1}, new byte[] {2}));
    Await.until("all delivered", () -> deliveries.size() == 20);
    assertThat(deliveries.values()).allMatch(n -> n == 1);
  }

  @Test
  void releasesAndOnlyReleasesAskForRelaxedDurability() {
    open(true);
    run();
    assertThat(relaxedReleases.get()).as("relaxed releases").isPositive();
    assertThat(durableReleases.get()).as("durable releases").isZero();
    assertThat(durableOthers.get()).as("other writing transactions").isPositive();
    assertThat(relaxedOthers.get()).as("other writing transactions relaxed").isZero();
  }

  @Test
  void nothingAsksOnAnEngineWithoutTheCapability() {
    open(false);
    run();
    assertThat(durableReleases.get()).as("durable releases").isPositive();
    assertThat(relaxedReleases.get() + relaxedOthers.get()).as("relaxed commits").isZero();
  }
}
