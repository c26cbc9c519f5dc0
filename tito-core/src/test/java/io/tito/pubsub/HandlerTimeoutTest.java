package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Lease;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A handler that hangs fails its attempt after the handler timeout; the partition goes on. */
class HandlerTimeoutTest {

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void close() {
    never.countDown();
    subs.forEach(Subscription::close);
    tito.close();
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  private void publish(String payload) {
    topics.publish("t", Message.of("k", payload.getBytes(StandardCharsets.UTF_8)));
  }

  private static SubscribeOptions options() {
    return Await.fast().maxAttempts(2).handlerTimeout(Duration.ofMillis(100)).build();
  }

  @Test
  void aHungHandlerIsInterruptedItsAttemptFailsAndThePartitionMovesOn() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("hang");
    publish("next");
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    subs.add(topics.subscribe("t", "g", e -> {
      seen.add(text(e));
      if (text(e).equals("hang")) {
        try {
          never.await();
        } catch (InterruptedException ie) {
          interrupted.set(true);
          throw ie;
        }
      }
    }, options()));
    Await.until("moved on", () -> seen.contains("next"));
    assertThat(interrupted).isTrue();
    List<DeadLetter> dead = topics.deadLetters("t", "g", 10);
    assertThat(dead).hasSize(1);
    assertThat(text(dead.get(0).event())).isEqualTo("hang");
    assertThat(dead.get(0).attempts()).isEqualTo(2);
    assertThat(dead.get(0).error()).contains("handler timeout");
  }

  @Test
  void aTransactionalHandlerThatIgnoresTheInterruptDoesNotCommitAfterItsTimeout()
      throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("hang");
    publish("next");
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> hung = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribeTransactional("t", "g", (tx, e) -> {
      seen.add(text(e));
      tx.set(tito.root().pack("effects", text(e), seen.size()), new byte[0]);
      if (text(e).equals("hang")) {
        hung.add(Thread.currentThread());
        while (true) {
          try {
            release.await();
            return;
          } catch (InterruptedException ignored) {
            // a handler that will not stop
          }
        }
      }
    }, Await.fast().maxAttempts(1).handlerTimeout(Duration.ofMillis(100)).build()));
    Await.until("moved on", () -> seen.contains("next"));
    assertThat(topics.deadLetters("t", "g", 10)).extracting(d -> text(d.event()))
        .containsExactly("hang");
    release.countDown();
    for (Thread t : hung) {
      t.join();
    }
    int effects = tito.read(tx -> {
      int n = 0;
      try (var c = tx.scan(tito.root().range(io.tito.tuple.Tuple.of("effects", "hang")))) {
        while (c.hasNext()) {
          c.next();
          n++;
        }
      }
      return n;
    });
    assertThat(effects).as("writes of the attempt given up on").isZero();
    assertThat(topics.lag("t", "g").get(0).lag()).isZero();
  }

  @Test
  void aHandlerThatIgnoresTheInterruptDoesNotHoldThePartitionAndLeavesTheLeaseAlone()
      throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("hang");
    publish("next");
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> hung = new CopyOnWriteArrayList<>();
    Subscription s = topics.subscribe("t", "g", e -> {
      seen.add(text(e));
      if (text(e).equals("hang")) {
        hung.add(Thread.currentThread());
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException ignored) {
            // a handler that will not stop
          }
        }
      }
    }, options());
    subs.add(s);
    Await.until("moved on", () -> seen.contains("next"));
    DeadLetter d = topics.deadLetters("t", "g", 10).get(0);
    assertThat(text(d.event())).isEqualTo("hang");
    assertThat(d.attempts()).isEqualTo(2);
    assertThat(hung).hasSize(2);
    release.countDown();
    for (Thread t : hung) {
      t.join();
    }
    // The runners given up on ended without releasing the lease the worker still holds.
    assertThat(s.ownedPartitions()).containsExactly(0);
    Keys keys = new Keys(tito.root());
    assertThat(tito.read(tx -> Lease.decode(tx.get(keys.lease("t", "g", 0)))).owner())
        .isEqualTo(s.workerId());
    publish("after");
    Await.until("delivered after", () -> seen.contains("after"));
    assertThat(seen).containsExactly("hang", "hang", "next", "after");
  }

  @Test
  void aTimedOutBatchGoesOnOneEventAtATime() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("a");
    publish("b");
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribeBatches("t", "g", es -> {
      sizes.add(es.size());
      if (es.size() > 1) {
        never.await();
      }
    }, options()));
    Await.until("consumed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(sizes).containsExactly(2, 1, 1);
    assertThat(topics.deadLetters("t", "g", 10)).isEmpty();
  }

  @Test
  void theDefaultHandlerTimeoutIsFiveMinutes() {
    assertThat(SubscribeOptions.DEFAULTS.handlerTimeout()).isEqualTo(Duration.ofMinutes(5));
  }
}
