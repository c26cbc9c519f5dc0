package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A message with a caller-chosen id is published at most once per topic while its event is kept. */
class IdempotentPublishTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.builder().engine(new MemoryEngine()).clock(clock).build();
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(Subscription::close);
    tito.close();
  }

  private static Message message(String payload) {
    return Message.of("k", payload.getBytes(StandardCharsets.UTF_8));
  }

  private long events() {
    long n = 0;
    for (int p = 0; p < topics.topic("t").partitions(); p++) {
      n += topics.head("t", p);
    }
    return n;
  }

  @Test
  void publishingTheSameIdAgainIsANoOpReturningTheFirstReceipt() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(4));
    UUID id = UUID.randomUUID();
    PublishReceipt first = topics.publish("t", message("one").withId(id));
    PublishReceipt again = topics.publish("t", message("one").withId(id));
    PublishReceipt otherKey = topics.publish("t",
        Message.of("another key", new byte[] {1}).withId(id));
    assertThat(again).isEqualTo(first);
    assertThat(otherKey).isEqualTo(first);
    assertThat(first.id()).isEqualTo(id);
    assertThat(events()).isEqualTo(1);
    Event e = topics.read("t", first.partition(), 0, 10).get(0);
    assertThat(e.id()).isEqualTo(id);
    assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("one");
    // Other ids and messages without one are independent.
    topics.publish("t", message("two").withId(UUID.randomUUID()));
    topics.publish("t", message("three"));
    topics.publish("t", message("three"));
    assertThat(events()).isEqualTo(4);
  }

  @Test
  void twiceInOneTransactionPublishesOnce() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    UUID id = UUID.randomUUID();
    List<PublishReceipt> receipts = tito.transaction(tx -> List.of(
        topics.publish(tx, "t", message("x").withId(id)),
        topics.publish(tx, "t", message("x").withId(id))));
    assertThat(receipts.get(1)).isEqualTo(receipts.get(0));
    assertThat(events()).isEqualTo(1);
  }

  @Test
  void concurrentPublishesOfOneIdCommitOneEvent() throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(8));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 20; round++) {
        UUID id = UUID.randomUUID();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PublishReceipt>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          // Different keys: different partitions, so only the id index can make them conflict.
          String key = "k" + i;
          fs.add(pool.submit(() -> {
            go.await();
            return topics.publish("t", Message.of(key, new byte[0]).withId(id));
          }));
        }
        go.countDown();
        List<PublishReceipt> receipts = new ArrayList<>();
        for (Future<PublishReceipt> f : fs) {
          receipts.add(f.get());
        }
        assertThat(receipts).allMatch(r -> r.equals(receipts.get(0)));
        assertThat(events()).isEqualTo(round + 1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aScheduledMessageIsIdempotentToo() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    UUID id = UUID.randomUUID();
    Message m = message("later").deliverAt(clock.instant().plusSeconds(60)).withId(id);
    PublishReceipt first = topics.publish("t", m);
    assertThat(first.scheduled()).isTrue();
    assertThat(topics.publish("t", m)).isEqualTo(first);
    clock.advance(Duration.ofSeconds(61));
    assertThat(topics.releaseDue("t", 0, 10)).isEqualTo(1);
    assertThat(topics.publish("t", m)).isEqualTo(first);
    assertThat(topics.read("t", 0, 0, 10)).extracting(Event::id).containsExactly(id);
  }

  @Test
  void anIdIsRememberedUntilRetentionDeletesItsEvent() {
    topics.createTopic("t", new TopicConfig(1, Duration.ofHours(1)));
    UUID id = UUID.randomUUID();
    topics.publish("t", message("a").withId(id));
    List<UUID> seen = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribe("t", "g", e -> seen.add(e.id()),
        Await.fast().retentionInterval(Duration.ofDays(3650)).build()));
    Await.until("consumed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(topics.applyRetention("t")).isZero();
    topics.publish("t", message("a").withId(id));
    assertThat(events()).isEqualTo(1);
    clock.advance(Duration.ofHours(2));
    assertThat(topics.applyRetention("t")).isEqualTo(1);
    int idKeys = tito.read(tx -> {
      int n = 0;
      try (var c = tx.scan(tito.root().range(io.tito.tuple.Tuple.of("q", "t", "id")))) {
        while (c.hasNext()) {
          c.next();
          n++;
        }
      }
      return n;
    });
    assertThat(idKeys).as("id index entries left").isZero();
    PublishReceipt again = topics.publish("t", message("a").withId(id));
    assertThat(again.position()).isEqualTo(1);
    Await.until("delivered again", () -> seen.size() == 2);
  }

  @Test
  void aNullIdIsRefused() {
    assertThatThrownBy(() -> message("x").withId(null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("id");
  }
}
