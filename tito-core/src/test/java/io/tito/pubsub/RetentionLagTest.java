package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ManualClock;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetentionLagTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.builder().engine(new MemoryEngine()).clock(clock).build();
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(Subscription::close);
    tito.close();
  }

  /** Workers that never apply retention on their own here, so the test drives it. */
  private static SubscribeOptions.Builder manual() {
    return Await.fast().retentionInterval(Duration.ofDays(3650));
  }

  private void publish(int n) {
    for (int i = 0; i < n; i++) {
      topics.publish("t", Message.of("k", new byte[] {(byte) i}));
    }
  }

  @Test
  void lagIsHeadMinusCheckpointPerPartition() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    assertThatThrownBy(() -> topics.lag("t", "nobody")).isInstanceOf(NotFoundException.class);
    publish(5);
    int p = Topics.partitionOf("k", 2);
    AtomicInteger count = new AtomicInteger();
    Subscription s = topics.subscribe("t", "g", e -> {
      if (count.incrementAndGet() > 3) {
        Thread.sleep(Long.MAX_VALUE);
      }
      // One checkpoint commit per event: a run of handled events waits for the call after it,
      // and the fourth call never returns.
    }, Await.fast().checkpointEvery(1, Duration.ofMillis(100)).build());
    subs.add(s);
    Await.until("three done", () -> topics.lag("t", "g").get(p).checkpoint() == 3);
    PartitionLag lag = topics.lag("t", "g").get(p);
    assertThat(lag).isEqualTo(new PartitionLag(p, 5, 3, 2, 0));
    assertThat(topics.lag("t", "g").get(1 - p)).isEqualTo(new PartitionLag(1 - p, 0, 0, 0, 0));
    s.close(Duration.ofMillis(50));
  }

  @Test
  void workersApplyRetentionToTheirPartitionsPeriodically() {
    topics.createTopic("t", new TopicConfig(1, Duration.ofHours(1)));
    publish(4);
    subs.add(topics.subscribe("t", "g", e -> { },
        Await.fast().retentionInterval(Duration.ofMinutes(5)).build()));
    Await.until("consumed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(topics.read("t", 0, 0, 10)).hasSize(4);
    clock.advance(Duration.ofHours(2));
    Await.until("deleted by the worker", () -> topics.read("t", 0, 0, 10).isEmpty());
  }

  @Test
  void eventsAreDeletedOnlyOnceEveryGroupPassedThemAndRetentionIsOver() {
    topics.createTopic("t", new TopicConfig(1, Duration.ofHours(1)));
    publish(10);
    AtomicInteger a = new AtomicInteger();
    subs.add(topics.subscribe("t", "a", e -> a.incrementAndGet(), manual().build()));
    Await.until("a done", () -> topics.lag("t", "a").get(0).lag() == 0);
    // b registers and fails its first event; with the clock standing still it never retries.
    AtomicInteger bTries = new AtomicInteger();
    Subscription b = topics.subscribe("t", "b", e -> {
      bTries.incrementAndGet();
      throw new IllegalStateException("not yet");
    }, manual().start(StartPosition.EARLIEST).build());
    Await.until("b failed once", () -> bTries.get() > 0);
    b.close();
    assertThat(topics.lag("t", "b").get(0).checkpoint()).isZero();
    clock.advance(Duration.ofHours(2));
    // b registered but has consumed nothing, so nothing may go.
    assertThat(topics.applyRetention("t")).isZero();
    Subscription b2 = topics.subscribe("t", "b", e -> { }, manual().build());
    subs.add(b2);
    Await.until("b done", () -> topics.lag("t", "b").get(0).lag() == 0);
    publish(3);
    Await.until("both done", () -> topics.lag("t", "a").get(0).lag() == 0
        && topics.lag("t", "b").get(0).lag() == 0);
    // The first 10 are older than an hour; the last 3 are consumed but too young.
    assertThat(topics.applyRetention("t")).isEqualTo(10);
    assertThat(topics.read("t", 0, 0, 100)).extracting(Event::position).containsExactly(10L, 11L, 12L);
    assertThat(topics.head("t", 0)).isEqualTo(13);
    // A new group starting at the earliest retained event starts at 10.
    subs.add(topics.subscribe("t", "c", e -> { }, manual().build()));
    assertThat(topics.lag("t", "c").get(0).head()).isEqualTo(13);
    Await.until("c done", () -> topics.lag("t", "c").get(0).checkpoint() == 13);
    clock.advance(Duration.ofHours(2));
    assertThat(topics.applyRetention("t")).isEqualTo(3);
    assertThat(topics.read("t", 0, 0, 100)).isEmpty();
  }

  @Test
  void aGroupCanStartAtATime() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish(2);
    clock.advance(Duration.ofMinutes(1));
    Instant from = clock.instant();
    publish(3);
    subs.add(topics.subscribe("t", "g", e -> { }, Await.fast().start(StartPosition.at(from)).build()));
    assertThat(topics.lag("t", "g").get(0).checkpoint()).isGreaterThanOrEqualTo(2);
    Await.until("done", () -> topics.lag("t", "g").get(0).checkpoint() == 5);
  }
}
