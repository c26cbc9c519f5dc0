package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchTest {

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(Subscription::close);
    tito.close();
  }

  private void publish(int n) {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    tito.inTransaction(tx -> {
      for (int i = 0; i < n; i++) {
        topics.publish(tx, "t", Message.of("k", new byte[] {(byte) i}));
      }
    });
  }

  private static int n(Event e) {
    return e.payload()[0];
  }

  private boolean caughtUp() {
    return topics.lag("t", "g").get(0).lag() == 0;
  }

  @Test
  void batchesHoldConsecutiveEventsUpToTheFetchSize() {
    publish(50);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribeBatches("t", "g",
        events -> batches.add(events.stream().map(BatchTest::n).toList()),
        Await.fast().fetchSize(10).build()));
    Await.until("caught up", this::caughtUp);
    assertThat(batches).allMatch(b -> b.size() <= 10);
    assertThat(batches).anyMatch(b -> b.size() > 1);
    List<Integer> all = batches.stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(50).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aFailingEventInABatchIsRetriedAloneAndDeadLetteredWithoutHoldingBackTheOthers() {
    publish(20);
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribeBatches("t", "g", events -> {
      List<Integer> ns = events.stream().map(BatchTest::n).toList();
      calls.add(ns);
      if (ns.contains(5)) {
        throw new IllegalStateException("five is poison");
      }
    }, Await.fast().fetchSize(8).maxAttempts(2).build()));
    Await.until("caught up", this::caughtUp);
    List<DeadLetter> dead = topics.deadLetters("t", "g", 10);
    assertThat(dead).hasSize(1);
    assertThat(n(dead.get(0).event())).isEqualTo(5);
    assertThat(dead.get(0).attempts()).isEqualTo(2);
    assertThat(calls.stream().filter(c -> c.equals(List.of(5)))).hasSize(2);
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    calls.stream().filter(c -> !c.contains(5)).forEach(handled::addAll);
    for (int i = 0; i < 20; i++) {
      if (i != 5) {
        assertThat(handled).contains(i);
      }
    }
  }

  @Test
  void aTransactionalBatchAppliesEffectsExactlyOnce() {
    publish(30);
    Set<UUID> failedOnce = ConcurrentHashMap.newKeySet();
    subs.add(topics.subscribeBatchesTransactional("t", "g", (tx, events) -> {
      for (Event e : events) {
        byte[] key = tito.root().pack("test", e.id());
        byte[] v = tx.get(key);
        tx.set(key, Tuple.of(v == null ? 1L : Tuple.unpack(v).getLong(0) + 1).pack());
        if (n(e) % 7 == 3 && failedOnce.add(e.id())) {
          throw new IllegalStateException("first time fails");
        }
      }
    }, Await.fast().fetchSize(10).build()));
    Await.until("caught up", this::caughtUp);
    List<Long> counts = tito.read(tx -> {
      List<Long> out = new ArrayList<>();
      try (var c = tx.scan(tito.root().range(Tuple.of("test")))) {
        while (c.hasNext()) {
          out.add(Tuple.unpack(c.next().value()).getLong(0));
        }
      }
      return out;
    });
    assertThat(counts).hasSize(30).containsOnly(1L);
    assertThat(failedOnce).hasSize(4);
  }
}
