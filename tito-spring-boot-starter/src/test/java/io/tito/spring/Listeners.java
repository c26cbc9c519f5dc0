package io.tito.spring;

import io.tito.Transaction;
import io.tito.pubsub.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Listener beans the tests register. */
final class Listeners {

  private Listeners() {}

  /** Records the payloads of topic "orders", group "billing". */
  static class Recording {
    final List<String> received = new CopyOnWriteArrayList<>();

    @TitoListener(topic = "orders", group = "billing")
    void onOrder(Event event) {
      received.add(new String(event.payload(), StandardCharsets.UTF_8));
    }
  }

  /** Fails every call: group "failing" of "orders", two attempts. */
  static class Failing {
    final AtomicInteger calls = new AtomicInteger();

    @TitoListener(topic = "orders", group = "failing", maxAttempts = 2)
    void onOrder(Event event) {
      calls.incrementAndGet();
      throw new IllegalStateException("refused " + event.id());
    }
  }

  /** Writes a key per event in the checkpoint's transaction: group "audit" of "orders". */
  static class Transactional {
    @TitoListener(topic = "orders", group = "audit")
    void onOrder(Transaction tx, Event event) {
      tx.set(auditKey(event.key()), event.payload());
    }

    static byte[] auditKey(String key) {
      return ("audit/" + key).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Blocks in its handler until released: group "slow" of "orders". */
  static class Blocking {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger finished = new AtomicInteger();

    @TitoListener(topic = "orders", group = "slow")
    void onOrder(Event event) throws InterruptedException {
      entered.countDown();
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      finished.incrementAndGet();
    }
  }

  /** A listener whose signature the starter refuses. */
  static class WrongSignature {
    @TitoListener(topic = "orders", group = "wrong")
    void onOrder(String payload) {}
  }

  /** A listener on a topic nobody declared. */
  static class UndeclaredTopic {
    @TitoListener(topic = "nowhere", group = "g")
    void onEvent(Event event) {}
  }
}
