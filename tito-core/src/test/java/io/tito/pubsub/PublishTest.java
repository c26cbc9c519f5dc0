package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.ConflictException;
import io.tito.ManualClock;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.internal.DefaultTransaction;
import io.tito.memory.MemoryEngine;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublishTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.builder().engine(new MemoryEngine()).clock(clock).build();
  private final Topics topics = tito.topics();

  @AfterEach
  void close() {
    tito.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void partitionHashIsMurmur3OfUtf8AndStable() {
    // Reference values of MurmurHash3 x86_32, seed 0.
    assertThat(io.tito.internal.pubsub.PartitionHash.murmur3(new byte[0])).isZero();
    assertThat(io.tito.internal.pubsub.PartitionHash.murmur3(bytes("hello"))).isEqualTo(0x248bfa47);
    assertThat(io.tito.internal.pubsub.PartitionHash.murmur3(
        bytes("The quick brown fox jumps over the lazy dog"))).isEqualTo(0x2e4ff723);
    assertThat(Topics.partitionOf("hello", 8)).isEqualTo((int) (0x248bfa47L % 8));
    for (int i = 0; i < 100; i++) {
      assertThat(Topics.partitionOf("key-" + i, 7)).isBetween(0, 6);
    }
  }

  @Test
  void createTopicIsIdempotentForEqualSettings() {
    TopicConfig c = new TopicConfig(4, Duration.ofHours(1));
    assertThat(topics.createTopic("t", c)).isEqualTo(c);
    assertThat(topics.createTopic("t", c)).isEqualTo(c);
    assertThat(topics.topic("t")).isEqualTo(c);
    assertThatThrownBy(() -> topics.createTopic("t", c.withPartitions(5)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(topics.createTopic("d").partitions()).isEqualTo(TopicConfig.DEFAULT_PARTITIONS);
    assertThatThrownBy(() -> topics.publish("missing", Message.of("k", new byte[0])))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void publishedEventsAreReadableWithDensePositionsAndUniqueIds() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    List<PublishReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      receipts.add(tito.transaction(tx -> topics.publish(tx, "t",
          Message.of("k" + n, bytes("p" + n)).withHeaders(Map.of("h", "v" + n)))));
    }
    List<Event> events = topics.read("t", 0, 0, 100);
    assertThat(events).extracting(Event::position).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(events).extracting(Event::id).doesNotHaveDuplicates()
        .containsExactlyElementsOf(receipts.stream().map(PublishReceipt::id).toList());
    assertThat(new String(events.get(3).payload(), StandardCharsets.UTF_8)).isEqualTo("p3");
    assertThat(events.get(3).headers()).containsEntry("h", "v3");
    assertThat(events.get(3).key()).isEqualTo("k3");
    assertThat(events.get(3).publishedAt()).isEqualTo(clock.instant());
    assertThat(topics.read("t", 0, 3, 1)).extracting(Event::position).containsExactly(3L);
    assertThat(topics.head("t", 0)).isEqualTo(5);
  }

  @Test
  void anAbortedTransactionPublishesNothing() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    assertThatThrownBy(() -> tito.inTransaction(tx -> {
      topics.publish(tx, "t", Message.of("a", bytes("x")));
      topics.publish(tx, "t", Message.of("b", bytes("y")).deliverAt(clock.instant().plusSeconds(5)));
      throw new IllegalStateException("abort");
    })).isInstanceOf(IllegalStateException.class);
    clock.advance(Duration.ofSeconds(10));
    for (int p = 0; p < 2; p++) {
      assertThat(topics.releaseDue("t", p, 10)).isZero();
      assertThat(topics.read("t", p, 0, 10)).isEmpty();
      assertThat(topics.head("t", p)).isZero();
    }
  }

  @Test
  void aLateCommitterTakesAPositionAfterEveryPositionAReaderSaw() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    DefaultTransaction late = new DefaultTransaction(tito.engine().begin(false));
    PublishReceipt lateReceipt = topics.publish(late, "t", Message.of("k", bytes("late")));
    assertThat(lateReceipt.position()).as("before commit").isEqualTo(PublishReceipt.UNASSIGNED);
    assertThat(lateReceipt.positionAssigned()).isFalse();
    assertThat(lateReceipt.scheduled()).isFalse();
    PublishReceipt early = topics.publish("t", Message.of("k", bytes("early")));
    assertThat(early.position()).isZero();
    assertThat(topics.read("t", 0, 0, 10)).extracting(e -> new String(e.payload())).containsExactly("early");
    late.engineTransaction().commit(); // no conflict: the position is assigned at commit
    assertThat(late.engineTransaction().sequenceStart(tito.root().pack("q", "t", 0, "seq"))).isEqualTo(1);
    assertThat(topics.read("t", 0, 0, 10)).extracting(e -> new String(e.payload()))
        .containsExactly("early", "late");
    assertThat(topics.head("t", 0)).isEqualTo(2);
  }

  @Test
  void theReceiptTakesItsPositionAtCommitBeforeLaterAfterCommitActions() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    topics.publish("t", Message.of("k", bytes("first")));
    List<Long> seenAfterCommit = new ArrayList<>();
    List<PublishReceipt> receipts = tito.transaction(tx -> {
      PublishReceipt a = topics.publish(tx, "t", Message.of("k", bytes("a")));
      PublishReceipt b = topics.publish(tx, "t", Message.of("k", bytes("b")));
      tx.afterCommit(() -> {
        seenAfterCommit.add(a.position());
        seenAfterCommit.add(b.position());
      });
      return List.of(a, b);
    });
    assertThat(seenAfterCommit).containsExactly(1L, 2L);
    assertThat(receipts).extracting(PublishReceipt::position).containsExactly(1L, 2L);
    assertThat(receipts).allMatch(PublishReceipt::positionAssigned);
  }

  @Test
  void aLateCommitterWithACallerChosenIdConflictsInsteadOfTakingAPositionBehindAReader() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    DefaultTransaction late = new DefaultTransaction(tito.engine().begin(false));
    PublishReceipt r = topics.publish(late, "t", Message.of("k", bytes("late")).withId(UUID.randomUUID()));
    assertThat(r.position()).as("an id records its position in the transaction").isZero();
    topics.publish("t", Message.of("k", bytes("early")));
    assertThat(topics.read("t", 0, 0, 10)).hasSize(1);
    assertThatThrownBy(() -> late.engineTransaction().commit()).isInstanceOf(ConflictException.class);
    assertThat(topics.read("t", 0, 0, 10)).hasSize(1);
  }

  @Test
  void concurrentPublishersGetGapFreePositionsInCommitOrder() throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    byte[] counter = tito.root().pack("test", "counter");
    Set<UUID> committed = ConcurrentHashMap.newKeySet();
    Set<UUID> aborted = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      threads.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 40; i++) {
          boolean abort = ThreadLocalRandom.current().nextInt(5) == 0;
          try {
            tito.inTransaction(tx -> {
              byte[] v = tx.get(counter);
              long c = v == null ? 0 : Tuple.unpack(v).getLong(0);
              tx.set(counter, Tuple.of(c + 1).pack());
              PublishReceipt r = topics.publish(tx, "t",
                  Message.of("same-key", Tuple.of(c).pack()));
              if (abort) {
                aborted.add(r.id());
                throw new IllegalStateException("abort");
              }
              tx.afterCommit(() -> committed.add(r.id()));
            });
          } catch (IllegalStateException expected) {
            // aborted on purpose
          }
        }
      }));
    }
    for (Thread th : threads) {
      th.join();
    }
    int p = Topics.partitionOf("same-key", 2);
    List<Event> events = topics.read("t", p, 0, 1000);
    assertThat(events).extracting(Event::position)
        .containsExactlyElementsOf(range(committed.size()));
    Set<UUID> seen = new HashSet<>();
    long last = -1;
    for (Event e : events) {
      long c = Tuple.unpack(e.payload()).getLong(0);
      assertThat(c).as("log order is commit order").isGreaterThan(last);
      last = c;
      seen.add(e.id());
    }
    assertThat(seen).isEqualTo(committed);
    assertThat(seen).doesNotContainAnyElementsOf(aborted);
    assertThat(topics.read("t", 1 - p, 0, 10)).isEmpty();
  }

  private static List<Long> range(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void scheduledEventsEnterTheLogOnlyWhenDue() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant due = clock.instant().plusSeconds(60);
    PublishReceipt r = topics.publish("t", Message.of("k", bytes("later")).deliverAt(due));
    assertThat(r.scheduled()).isTrue();
    topics.publish("t", Message.of("k", bytes("now")));
    clock.advance(Duration.ofSeconds(59));
    assertThat(topics.releaseDue("t", 0, 10)).isZero();
    assertThat(topics.read("t", 0, 0, 10)).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(topics.releaseDue("t", 0, 10)).isEqualTo(1);
    List<Event> events = topics.read("t", 0, 0, 10);
    assertThat(events).hasSize(2);
    assertThat(events.get(1).id()).isEqualTo(r.id());
    assertThat(events.get(1).position()).isEqualTo(1);
    assertThat(events.get(1).deliverAt()).isEqualTo(due);
    assertThat(topics.releaseDue("t", 0, 10)).isZero();
  }

  @Test
  void aDeliverAtInThePastGoesStraightToTheLog() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    PublishReceipt r = topics.publish("t",
        Message.of("k", bytes("x")).deliverAt(clock.instant().minusSeconds(1)));
    assertThat(r.scheduled()).isFalse();
    assertThat(r.position()).isZero();
  }
}
