package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.ManualClock;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupAdminTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.builder().engine(new MemoryEngine()).clock(clock).build();
  private final Topics topics = tito.topics();

  @AfterEach
  void close() {
    tito.close();
  }

  @Test
  void theStoreHandsOutTopicsOnTheSameData() {
    tito.topics().createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    tito.topics().publish("t", Message.of("k", new byte[] {1}));
    assertThat(topics.read("t", 0, 0, 10)).hasSize(1);
  }

  @Test
  void aDeletedGroupIsGoneAndNoLongerHoldsBackRetention() {
    topics.createTopic("t", new TopicConfig(1, Duration.ZERO));
    AtomicInteger tries = new AtomicInteger();
    Subscription s = topics.subscribe("t", "stuck", e -> {
      tries.incrementAndGet();
      throw new IllegalStateException("never");
    }, Await.fast().maxAttempts(1).build());
    topics.publish("t", Message.of("k", new byte[] {1}));
    Await.until("dead-lettered", () -> topics.deadLetters("t", "stuck", 10).size() == 1);
    s.close();
    topics.publish("t", Message.of("k", new byte[] {2}));
    assertThat(topics.applyRetention("t")).as("the second event is not passed yet").isEqualTo(1);
    topics.deleteGroup("t", "stuck");
    assertThatThrownBy(() -> topics.lag("t", "stuck")).isInstanceOf(NotFoundException.class);
    assertThat(topics.deadLetters("t", "stuck", 10)).isEmpty();
    assertThat(topics.applyRetention("t")).isEqualTo(1);
    assertThat(topics.read("t", 0, 0, 10)).isEmpty();
  }

  @Test
  void theDeadLetteredTotalCountsEveryDeadLetteringAndIsResetOnlyWithTheGroup() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    EventHandler failing = e -> {
      throw new IllegalStateException("never");
    };
    Subscription s = topics.subscribe("t", "g", failing, Await.fast().maxAttempts(1).build());
    topics.publish("t", Message.of("a", new byte[] {1}));
    topics.publish("t", Message.of("b", new byte[] {2}));
    topics.publish("t", Message.of("c", new byte[] {3}));
    Await.until("dead-lettered", () -> topics.deadLetterCount("t", "g") == 3);
    assertThat(topics.deadLetteredTotal("t", "g")).isEqualTo(3);
    s.close(); // so that requeued events do not fail again while requeueAll pages
    assertThat(topics.deleteDeadLetter("t", "g", topics.deadLetters("t", "g", 1).get(0).id()))
        .isTrue();
    assertThat(topics.requeueAll("t", "g")).isEqualTo(2);
    assertThat(topics.deadLetteredTotal("t", "g")).as("delete and requeue do not lower it")
        .isEqualTo(3);
    s = topics.subscribe("t", "g", failing, Await.fast().maxAttempts(1).build());
    Await.until("dead-lettered again", () -> topics.deadLetteredTotal("t", "g") == 5);
    assertThat(topics.deadLetterCount("t", "g")).isEqualTo(2);
    s.close();
    topics.deleteGroup("t", "g");
    assertThat(topics.deadLetteredTotal("t", "g")).isZero();
    assertThatThrownBy(() -> topics.deadLetteredTotal("nope", "g"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void misuseIsRejectedWithClearErrors() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    assertThatThrownBy(() -> topics.requeue("t", "g", UUID.randomUUID()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> topics.read("t", 2, 0, 10)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> topics.read("t", 0, -1, 10)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> topics.read("nope", 0, 0, 10)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> topics.subscribe("nope", "g", e -> { }, SubscribeOptions.DEFAULTS))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> topics.createTopic("", TopicConfig.DEFAULTS))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new TopicConfig(0, Duration.ZERO))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> SubscribeOptions.builder().heartbeatInterval(Duration.ofSeconds(10))
        .leaseTimeout(Duration.ofSeconds(10)).build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Message.of(null, new byte[0])).isInstanceOf(InvalidArgumentException.class);
  }
}
