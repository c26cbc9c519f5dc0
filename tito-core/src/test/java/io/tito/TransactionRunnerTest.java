package io.tito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.memory.MemoryEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TransactionRunnerTest {

  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
  private static final RetryPolicy FAST =
      RetryPolicy.DEFAULT.withBackoff(Duration.ZERO, Duration.ofMillis(1)).withMaxAttempts(5);

  @Test
  void retriesConflictsAndRerunsTheWholeFunction() {
    FaultyEngine engine = new FaultyEngine();
    engine.commitFailures.add(() -> new ConflictException("boom", Map.of()));
    engine.commitFailures.add(() -> new ConflictException("boom", Map.of()));
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(engine).retryPolicy(FAST).build()) {
      String result = tito.transaction(tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {1});
        return "done";
      });
      assertThat(result).isEqualTo("done");
      assertThat(runs).hasValue(3);
      assertThat(readKey(tito)).containsExactly(1);
    }
  }

  @Test
  void aConflictMarkedRetryNowIsRetriedOnceWithoutBackingOff() {
    // A backoff sleeps, and a sleep on an interrupted thread ends the retries with the conflict:
    // the ordinary conflict proves that, the marked one must be retried without sleeping.
    FaultyEngine ordinary = new FaultyEngine();
    ordinary.commitFailures.add(() -> new ConflictException("boom", Map.of()));
    try (Tito tito = Tito.builder().engine(ordinary).build()) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> tito.inTransaction(tx -> tx.set(KEY, new byte[] {1})))
          .isInstanceOf(ConflictException.class);
    } finally {
      Thread.interrupted();
    }
    FaultyEngine marked = new FaultyEngine();
    marked.commitFailures.add(() -> new ConflictException("boom", Map.of()).retryingNow());
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(marked).build()) {
      Thread.currentThread().interrupt();
      tito.inTransaction(tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {2});
      });
      assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
      assertThat(runs).hasValue(2);
      assertThat(readKey(tito)).containsExactly(2);
    } finally {
      Thread.interrupted();
    }
    // Losing again is contention with other writers: the second retry backs off (and so, on an
    // interrupted thread, gives up with the conflict).
    FaultyEngine twice = new FaultyEngine();
    twice.commitFailures.add(() -> new ConflictException("boom", Map.of()).retryingNow());
    twice.commitFailures.add(() -> new ConflictException("boom", Map.of()).retryingNow());
    try (Tito tito = Tito.builder().engine(twice).build()) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> tito.inTransaction(tx -> tx.set(KEY, new byte[] {3})))
          .isInstanceOf(ConflictException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void retryingNowKeepsTheConflictAsCause() {
    ConflictException plain = new ConflictException("boom", Map.of("key", "k"));
    ConflictException marked = plain.retryingNow();
    assertThat(plain.retryNow()).isFalse();
    assertThat(marked.retryNow()).isTrue();
    assertThat(marked.isRetriable()).isTrue();
    assertThat(marked.getCause()).isSameAs(plain);
    assertThat(marked.context()).containsEntry("key", "k");
    assertThat(marked.staticMessage()).isEqualTo("boom");
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastConflictAsCause() {
    FaultyEngine engine = new FaultyEngine();
    for (int i = 0; i < 10; i++) {
      engine.commitFailures.add(() -> new ConflictException("boom", Map.of()));
    }
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(engine).retryPolicy(FAST).build()) {
      assertThatThrownBy(() -> tito.inTransaction(tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {1});
      }))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("gave up")
          .hasCauseInstanceOf(ConflictException.class)
          .satisfies(e -> assertThat(((TitoException) e).context()).containsEntry("attempts", 5));
      assertThat(runs).hasValue(5);
      assertThat(readKey(tito)).isNull();
    }
  }

  @Test
  void stopsRetryingWhenTheTimeBudgetIsSpent() {
    FaultyEngine engine = new FaultyEngine();
    for (int i = 0; i < 100; i++) {
      engine.commitFailures.add(() -> new ConflictException("boom", Map.of()));
    }
    RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(1000).withMaxElapsed(Duration.ZERO);
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(engine).build()) {
      assertThatThrownBy(() -> tito.transaction(policy, tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {1});
        return null;
      })).isInstanceOf(ConflictException.class);
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void commitUnknownIsNotRetriedUnlessIdempotent() {
    FaultyEngine engine = new FaultyEngine();
    engine.commitFailures.add(() -> new CommitUnknownException("lost", Map.of(), null));
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(engine).retryPolicy(FAST).build()) {
      assertThatThrownBy(() -> tito.inTransaction(tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {1});
      })).isInstanceOf(CommitUnknownException.class).hasMessage("lost");
      assertThat(runs).hasValue(1);

      engine.commitFailures.add(() -> new CommitUnknownException("lost", Map.of(), null));
      tito.transaction(FAST.withIdempotent(true), tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {2});
        return null;
      });
      assertThat(runs).hasValue(3);
      assertThat(readKey(tito)).containsExactly(2);
    }
  }

  @Test
  void retriableStorageErrorsAreRetriedAndOthersAreNot() {
    FaultyEngine engine = new FaultyEngine();
    engine.commitFailures.add(() -> new StorageException("connection reset", Map.of(), null, true));
    engine.commitFailures.add(() -> new StorageException("disk broken", Map.of(), null, false));
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(engine).retryPolicy(FAST).build()) {
      assertThatThrownBy(() -> tito.inTransaction(tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {1});
      })).isInstanceOf(StorageException.class).hasMessage("disk broken");
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void userExceptionsRollBackAndAreNotRetried() {
    AtomicInteger runs = new AtomicInteger();
    try (Tito tito = Tito.builder().engine(new MemoryEngine()).retryPolicy(FAST).build()) {
      assertThatThrownBy(() -> tito.inTransaction(tx -> {
        runs.incrementAndGet();
        tx.set(KEY, new byte[] {1});
        throw new IllegalStateException("user bug");
      })).isInstanceOf(IllegalStateException.class).hasMessage("user bug");
      assertThat(runs).hasValue(1);
      assertThat(readKey(tito)).isNull();
    }
  }

  @Test
  void afterCommitRunsOnlyForTheAttemptThatCommitted() {
    FaultyEngine engine = new FaultyEngine();
    engine.commitFailures.add(() -> new ConflictException("boom", Map.of()));
    List<String> events = new ArrayList<>();
    try (Tito tito = Tito.builder().engine(engine).retryPolicy(FAST).build()) {
      AtomicInteger attempt = new AtomicInteger();
      tito.inTransaction(tx -> {
        int n = attempt.incrementAndGet();
        tx.set(KEY, new byte[] {1});
        tx.afterCommit(() -> events.add("committed " + n));
        tx.afterCommit(() -> {
          throw new IllegalStateException("ignored");
        });
        tx.afterCommit(() -> events.add("second " + n));
      });
      assertThat(events).containsExactly("committed 2", "second 2");

      assertThatThrownBy(() -> tito.inTransaction(tx -> {
        tx.afterCommit(() -> events.add("never"));
        throw new IllegalStateException("rolled back");
      })).isInstanceOf(IllegalStateException.class);
      assertThat(events).doesNotContain("never");
    }
  }

  @Test
  void readTransactionsRejectWrites() {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      assertThatThrownBy(() -> tito.read(tx -> {
        tx.set(KEY, new byte[] {1});
        return null;
      })).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("read-only");
    }
  }

  @Test
  void concurrentIncrementsAreAllCountedThroughRetries() throws Exception {
    try (Tito tito = Tito.builder().engine(new MemoryEngine())
        .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(1000)).build()) {
      tito.inTransaction(tx -> tx.set(KEY, new byte[] {0, 0, 0, 0}));
      int threads = 4;
      int each = 100;
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < each; i++) {
            tito.inTransaction(tx -> {
              int n = java.nio.ByteBuffer.wrap(tx.get(KEY)).getInt();
              tx.set(KEY, java.nio.ByteBuffer.allocate(4).putInt(n + 1).array());
            });
          }
        }));
      }
      for (Thread w : workers) {
        w.join();
      }
      int total = tito.read(tx -> java.nio.ByteBuffer.wrap(tx.get(KEY)).getInt());
      assertThat(total).isEqualTo(threads * each);
    }
  }

  @Test
  void builderValidates() {
    assertThatThrownBy(() -> Tito.builder().build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("engine is required");
    assertThatThrownBy(() -> Tito.builder().engine("no-such-engine", Map.of()).build())
        .isInstanceOf(InvalidArgumentException.class)
        .satisfies(e -> assertThat(((TitoException) e).context().get("available").toString())
            .contains("memory"));
    assertThatThrownBy(() -> Tito.builder().engine("memory", Map.of("path", "x")).build())
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, false))
        .isInstanceOf(InvalidArgumentException.class);
    try (Tito tito = Tito.builder().engine("memory", Map.of()).build()) {
      assertThat(tito.engine().name()).isEqualTo("memory");
    }
  }

  private static byte[] readKey(Tito tito) {
    return tito.read(tx -> tx.get(KEY));
  }

  /** A memory engine whose commits fail with queued exceptions before applying anything. */
  private static final class FaultyEngine extends ForwardingEngine {
    final Deque<Supplier<TitoException>> commitFailures = new ArrayDeque<>();

    FaultyEngine() {
      super(new MemoryEngine());
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(delegate().begin(readOnly)) {
        @Override
        public void commit() {
          Supplier<TitoException> failure = readOnly ? null : commitFailures.poll();
          if (failure != null) {
            delegate().rollback();
            throw failure.get();
          }
          delegate().commit();
        }
      };
    }
  }
}
