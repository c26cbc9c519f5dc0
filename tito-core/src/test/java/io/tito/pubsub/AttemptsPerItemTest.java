package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A requeued dead letter and the log event at the checkpoint each keep their own attempt count:
 * neither inherits nor resets the other's.
 */
class AttemptsPerItemTest {

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch secondHeadAttemptStarted = new CountDownLatch(1);
  private final CountDownLatch releaseSecondHeadAttempt = new CountDownLatch(1);

  @AfterEach
  void close() {
    releaseSecondHeadAttempt.countDown();
    subs.forEach(Subscription::close);
    tito.close();
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  private long calls(String payload) {
    return calls.stream().filter(payload::equals).count();
  }

  private void publish(String payload) {
    topics.publish("t", Message.of("k", payload.getBytes(StandardCharsets.UTF_8)));
  }

  /** Leaves "dead" as a dead letter of group g, consumed past. */
  @BeforeEach
  void oneDeadLetter() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("dead");
    Subscription first = topics.subscribe("t", "g", e -> {
      throw new IllegalStateException("first run fails everything");
    }, Await.fast().maxAttempts(1).build());
    Await.until("dead-lettered", () -> topics.deadLetters("t", "g", 10).size() == 1);
    Await.until("passed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(first.close(Duration.ofSeconds(20))).isTrue();
  }

  /**
   * Consumes with 3 attempts: "head" always fails; its second attempt waits until "dead" has been
   * requeued, so the requeued entry comes while head's count is 2. "dead" fails its first
   * {@code deadFailures} attempts after its requeue.
   */
  private void consume(int deadFailures) throws InterruptedException {
    publish("head");
    subs.add(topics.subscribe("t", "g", e -> {
      String p = text(e);
      calls.add(p);
      if (p.equals("head") && calls("head") == 2) {
        secondHeadAttemptStarted.countDown();
        releaseSecondHeadAttempt.await();
      }
      if (p.equals("head") || (p.equals("dead") && calls("dead") <= deadFailures)) {
        throw new IllegalStateException("fails: " + p);
      }
    }, Await.fast().maxAttempts(3).build()));
    secondHeadAttemptStarted.await();
    topics.requeue("t", "g", topics.deadLetters("t", "g", 10).get(0).id());
    releaseSecondHeadAttempt.countDown();
    Await.until("head dead-lettered", () -> topics.deadLetters("t", "g", 10).stream()
        .anyMatch(d -> text(d.event()).equals("head")));
  }

  @Test
  void aRequeuedDeadLetterThatFailsOnceIsNotDeadLetteredAtTheHeadsCount() throws Exception {
    consume(1);
    List<DeadLetter> dead = topics.deadLetters("t", "g", 10);
    assertThat(dead).extracting(d -> text(d.event())).containsExactly("head");
    assertThat(dead.get(0).attempts()).isEqualTo(3);
    assertThat(calls("dead")).isEqualTo(2);
    assertThat(calls("head")).as("head's count survives the requeued entry").isEqualTo(3);
  }

  @Test
  void aRequeuedDeadLetterThatSucceedsDoesNotResetTheHeadsCount() throws Exception {
    consume(0);
    List<DeadLetter> dead = topics.deadLetters("t", "g", 10);
    assertThat(dead).extracting(d -> text(d.event())).containsExactly("head");
    assertThat(dead.get(0).attempts()).isEqualTo(3);
    assertThat(calls("dead")).isEqualTo(1);
    assertThat(calls("head")).as("head's count survives the requeued entry").isEqualTo(3);
  }
}
