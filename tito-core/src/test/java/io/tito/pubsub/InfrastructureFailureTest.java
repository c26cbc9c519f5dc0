package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ConflictException;
import io.tito.RetryPolicy;
import io.tito.StorageException;
import io.tito.Tito;
import io.tito.TitoException;
import io.tito.memory.MemoryEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commits that fail for infrastructure reasons (conflicts past the retry budget, storage down)
 * are not handler failures: they back off and retry without counting an attempt.
 */
class InfrastructureFailureTest {

  /** Fails the next {@link #failures} commits that write a key starting with {@link #marker}. */
  static final class FailingCommits extends ForwardingEngine {
    final AtomicInteger failures = new AtomicInteger();
    volatile byte[] marker = new byte[] {(byte) 0xFF, (byte) 0xFF};
    volatile Supplier<TitoException> error;
    /** Whether only the marker key itself counts, not keys it is a prefix of. */
    volatile boolean exact;
    /** Reads of this key fail while {@link #readFailures} lasts. */
    volatile byte[] failingRead = new byte[] {(byte) 0xFF, (byte) 0xFF};
    final AtomicInteger readFailures = new AtomicInteger();

    FailingCommits() {
      super(new MemoryEngine());
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        boolean marked;

        @Override
        public void set(byte[] key, byte[] value) {
          byte[] m = marker;
          marked |= exact ? Arrays.equals(key, m)
              : key.length >= m.length && Arrays.equals(key, 0, m.length, m, 0, m.length);
          super.set(key, value);
        }

        @Override
        public byte[] get(byte[] key) {
          if (Arrays.equals(key, failingRead) && readFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StorageException("injected read outage", Map.of(), null, true);
          }
          return super.get(key);
        }

        @Override
        public void commit() {
          if (marked && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw error.get();
          }
          super.commit();
        }
      };
    }
  }

  private final FailingCommits engine = new FailingCommits();
  /** Two attempts per transaction, so the injected failures exhaust the retry budget quickly. */
  private final Tito tito = Tito.builder().engine(engine)
      .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(2)).build();
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(Subscription::close);
    tito.close();
  }

  private void publish(String payload) {
    topics.publish("t", Message.of("k", payload.getBytes(StandardCharsets.UTF_8)));
  }

  private void transactionalHandlerSurvives(Supplier<TitoException> error) {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("one");
    publish("two");
    byte[] effects = tito.root().pack("effects");
    engine.marker = effects;
    engine.error = error;
    engine.failures.set(8);
    List<String> runs = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribeTransactional("t", "g", (tx, e) -> {
      runs.add(new String(e.payload(), StandardCharsets.UTF_8));
      tx.set(tito.root().pack("effects", e.id()), e.payload());
    }, Await.fast().maxAttempts(2).build()));
    Await.until("consumed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(engine.failures.get()).isZero();
    assertThat(topics.deadLetters("t", "g", 10)).as("no handler ever failed").isEmpty();
    long applied = tito.read(tx -> {
      int n = 0;
      try (var c = tx.scan(tito.root().range(Tuple.of("effects")))) {
        while (c.hasNext()) {
          c.next();
          n++;
        }
      }
      return n;
    });
    assertThat(applied).isEqualTo(2);
    assertThat(runs).contains("one", "two");
  }

  @Test
  void aTransactionalCheckpointCommitThatKeepsConflictingIsNotAHandlerFailure() {
    transactionalHandlerSurvives(() -> new ConflictException("injected conflict", Map.of()));
  }

  @Test
  void aTransactionalCheckpointCommitWhileStorageIsDownIsNotAHandlerFailure() {
    transactionalHandlerSurvives(() -> new StorageException("injected outage", Map.of(), null, true));
  }

  @Test
  void aStoreFailureThrownThroughATransactionalHandlerIsNotAHandlerFailure() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    byte[] probe = tito.root().pack("probe");
    engine.failingRead = probe;
    engine.readFailures.set(8);
    publish("one");
    List<String> runs = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribeTransactional("t", "g", (tx, e) -> {
      runs.add("run");
      tx.get(probe);
    }, Await.fast().maxAttempts(2).build()));
    Await.until("consumed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(engine.readFailures.get()).isZero();
    assertThat(topics.deadLetters("t", "g", 10)).as("the handler's own code never failed").isEmpty();
    assertThat(runs).hasSizeGreaterThan(8);
  }

  @Test
  void aCheckpointCommitFailingAfterAnAtLeastOnceHandlerIsNotAHandlerFailure() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    engine.marker = tito.root().pack("g", "t", "g", 0);
    engine.exact = true;
    engine.error = () -> new StorageException("injected outage", Map.of(), null, true);
    List<String> runs = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribe("t", "g", e -> runs.add("run"),
        Await.fast().maxAttempts(2).build()));
    Await.until("subscribed", () -> !subs.get(0).ownedPartitions().isEmpty());
    engine.failures.set(8);
    publish("one");
    Await.until("consumed", () -> topics.lag("t", "g").get(0).lag() == 0);
    assertThat(engine.failures.get()).isZero();
    assertThat(topics.deadLetters("t", "g", 10)).isEmpty();
    assertThat(runs).isNotEmpty();
  }
}
