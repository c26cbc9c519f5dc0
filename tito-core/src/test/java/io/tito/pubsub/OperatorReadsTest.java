package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's reads and the group reset of {@link Topics}. */
class OperatorReadsTest {

  private final Tito tito = Tito.builder().engine(new MemoryEngine()).build();
  private final Topics topics = tito.topics();

  @AfterEach
  void close() {
    tito.close();
  }

  @Test
  void topicsGroupsAndStatusAreListed() {
    topics.createTopic("b", TopicConfig.DEFAULTS.withPartitions(2));
    topics.createTopic("a", TopicConfig.DEFAULTS.withPartitions(1));
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (Subscription s = topics.subscribe("a", "g1", e -> seen.add(e.position()), Await.fast().build())) {
      topics.publish("a", Message.of("k", new byte[] {1}));
      topics.publish("a", Message.of("k", new byte[] {2}));
      Await.until("handled", () -> seen.size() == 2);
      Await.until("member listed", () -> topics.members("a", "g1").size() == 1);
      // The checkpoint follows the handler within the checkpoint delay.
      Await.until("checkpointed", () -> topics.groupStatus("a", "g1").get(0).checkpoint() == 2);
      PartitionStatus st = topics.groupStatus("a", "g1").get(0);
      assertThat(st.head()).isEqualTo(2);
      assertThat(st.checkpoint()).isEqualTo(2);
      assertThat(st.lag()).isZero();
      assertThat(st.leaseOwner()).isEqualTo(topics.members("a", "g1").get(0));
      assertThat(st.epoch()).isPositive();
    }
    assertThat(topics.topicNames()).containsExactly("a", "b");
    assertThat(topics.groups("a")).containsExactly("g1");
    assertThat(topics.groups("b")).isEmpty();
    assertThat(topics.groupStatus("a", "g1").get(0).leaseOwner()).as("released at close").isNull();
    assertThatThrownBy(() -> topics.groupStatus("a", "nope")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> topics.groups("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void scheduledEventsAreListedByDueTimeUntilReleased() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant later = Instant.now().plusSeconds(3600);
    topics.publish("t", Message.of("k", new byte[] {1}).deliverAt(later.plusSeconds(5)));
    topics.publish("t", Message.of("k", new byte[] {2}).deliverAt(later));
    List<Event> pending = topics.scheduled("t", 0, 10);
    assertThat(pending).extracting(Event::deliverAt).containsExactly(later, later.plusSeconds(5));
    assertThat(pending).extracting(Event::position).containsOnly(-1L);
    assertThat(topics.scheduled("t", 0, 1)).hasSize(1);
    assertThatThrownBy(() -> topics.scheduled("t", 1, 10)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> topics.scheduled("t", 0, 0)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void resetReplaysFromTheNewCheckpointAndFencesTheOwner() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (Subscription s = topics.subscribe("t", "g", e -> seen.add(e.position()), Await.fast().build())) {
      for (int i = 0; i < 3; i++) {
        topics.publish("t", Message.of("k", new byte[] {(byte) i}));
      }
      Await.until("handled", () -> seen.size() == 3);
      long epoch = topics.groupStatus("t", "g").get(0).epoch();
      topics.resetGroup("t", "g", 0, 1);
      Await.until("replayed", () -> seen.size() == 5);
      assertThat(seen).containsExactly(0L, 1L, 2L, 1L, 2L);
      assertThat(topics.groupStatus("t", "g").get(0).epoch()).isGreaterThan(epoch);
      assertThat(topics.resetGroup("t", "g", StartPosition.EARLIEST)).containsExactly(0L);
      Await.until("replayed all", () -> seen.size() == 8);
      assertThat(topics.resetGroup("t", "g", StartPosition.LATEST)).containsExactly(3L);
    }
    assertThatThrownBy(() -> topics.resetGroup("t", "g", 0, 4)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> topics.resetGroup("t", "g", 0, -1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> topics.resetGroup("t", "x", 0, 0)).isInstanceOf(NotFoundException.class);
  }
}
