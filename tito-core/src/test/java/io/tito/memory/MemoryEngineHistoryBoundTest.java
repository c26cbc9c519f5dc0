package io.tito.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The memory engine keeps conflict history and old versions only for transactions that need
 * them, and for at most the maximum transaction age: a long or forgotten transaction cannot grow
 * the heap without bound.
 */
class MemoryEngineHistoryBoundTest {

  private static final int COMMITS = 5_000;

  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  private static void put(MemoryEngine engine, int i, int value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(key(i), new byte[] {(byte) value});
      tx.commit();
    }
  }

  private final AtomicLong clock = new AtomicLong();

  @Test
  void aReadOnlyTransactionHeldOpenDoesNotKeepConflictHistory() {
    try (MemoryEngine engine = new MemoryEngine()) {
      put(engine, 0, 1);
      try (EngineTransaction reader = engine.begin(true)) {
        assertThat(reader.get(key(0))).containsExactly(1);
        for (int i = 1; i <= COMMITS; i++) {
          put(engine, i, 2);
        }
        assertThat(engine.conflictHistorySize())
            .as("writes remembered for conflict checks after %d commits with a reader open", COMMITS)
            .isLessThan(100);
        assertThat(reader.get(key(COMMITS))).as("the reader still reads its snapshot").isNull();
      }
    }
  }

  @Test
  void anOpenWriterKeepsTheHistoryItNeedsAndConflictsExactly() {
    try (MemoryEngine engine = new MemoryEngine()) {
      try (EngineTransaction writer = engine.begin(false)) {
        writer.get(key(0));
        for (int i = 1; i <= COMMITS; i++) {
          put(engine, i, 2);
        }
        assertThat(engine.conflictHistorySize()).isGreaterThanOrEqualTo(COMMITS);
        writer.set(key(1), new byte[] {3});
        assertThatThrownBy(writer::commit).isInstanceOf(ConflictException.class)
            .hasMessageContaining("concurrent transaction");
      }
      // Pruning is incremental: each commit forgets a bounded part of the backlog.
      put(engine, 1, 4);
      assertThat(engine.conflictHistorySize()).as("history one commit after the writer ended")
          .isGreaterThan(100);
      for (int i = 0; i < 100; i++) {
        put(engine, 1, 4);
      }
      assertThat(engine.conflictHistorySize()).as("history 100 commits after the writer ended").isLessThan(100);
    }
  }

  @Test
  void aWriterOlderThanTheMaximumAgeFailsAtItsNextCallAndHoldsNoHistory() {
    Duration maxAge = Duration.ofMinutes(1);
    try (MemoryEngine engine = new MemoryEngine(EngineLimits.DEFAULT, maxAge, clock::get)) {
      EngineTransaction writer = engine.begin(false);
      writer.get(key(0));
      writer.set(key(0), new byte[] {1});
      clock.addAndGet(maxAge.toNanos());
      writer.get(key(0)); // exactly the maximum age: still usable
      clock.addAndGet(1);
      for (int i = 1; i <= COMMITS; i++) {
        put(engine, i, 2);
      }
      assertThat(engine.conflictHistorySize()).as("history kept for an expired writer").isLessThan(100);
      assertThatThrownBy(() -> writer.get(key(1)))
          .isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.staticMessage()).isEqualTo("transaction is older than the engine's maxTransactionAge");
            assertThat(e.context()).containsEntry("maxTransactionAgeMillis", 60_000L).containsEntry("engine", "memory");
          });
      assertThatThrownBy(writer::commit).isInstanceOf(ConflictException.class)
          .hasMessageContaining("maxTransactionAge");
      writer.close();
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(key(0))).as("the expired writer's write").isNull();
      }
    }
  }

  @Test
  void aReaderOlderThanTheMaximumAgeFailsAtItsNextCallAndHoldsNoVersions() {
    Duration maxAge = Duration.ofMinutes(1);
    try (MemoryEngine engine = new MemoryEngine(EngineLimits.DEFAULT, maxAge, clock::get)) {
      for (int i = 0; i < 100; i++) {
        put(engine, i, 1);
      }
      EngineTransaction reader = engine.begin(true);
      assertThat(reader.get(key(1))).containsExactly(1);
      clock.addAndGet(maxAge.toNanos() + 1);
      // Deletes and overwrites: versions only the reader could read.
      for (int round = 0; round < 3 * 4096; round++) {
        int i = round % 100;
        try (EngineTransaction tx = engine.begin(false)) {
          if (i % 2 == 0) {
            tx.clear(key(i));
          } else {
            tx.set(key(i), new byte[] {2});
          }
          tx.commit();
        }
      }
      assertThat(engine.keyCount()).as("keys held: the deleted ones are gone").isEqualTo(50);
      assertThatThrownBy(() -> reader.get(key(2))).isInstanceOf(ConflictException.class)
          .hasMessageContaining("maxTransactionAge");
      assertThatThrownBy(() -> reader.scan(key(0), key(100), io.tito.ScanOptions.FORWARD))
          .isInstanceOf(ConflictException.class);
      reader.close();
    }
  }

  @Test
  void theMaximumAgeIsValidatedAndNamed() {
    assertThat(new MemoryEngine().maxTransactionAge()).isEqualTo(Duration.ofMinutes(5));
    for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(2)}) {
      assertThatThrownBy(() -> new MemoryEngine(EngineLimits.DEFAULT, bad))
          .isInstanceOfSatisfying(InvalidArgumentException.class,
              e -> assertThat(e.context()).containsEntry("setting", "maxTransactionAge"));
    }
    assertThatThrownBy(() -> new MemoryEngine(null, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(InvalidArgumentException.class,
            e -> assertThat(e.context()).containsEntry("setting", "limits"));
  }

  @Test
  void theProviderTakesTheMaximumAgeAndRejectsOtherSettings() {
    MemoryEngineProvider provider = new MemoryEngineProvider();
    try (MemoryEngine engine = (MemoryEngine) provider.open(java.util.Map.of("maxTransactionAgeMillis", "1500"))) {
      assertThat(engine.maxTransactionAge()).isEqualTo(Duration.ofMillis(1500));
    }
    assertThatThrownBy(() -> provider.open(java.util.Map.of("maxTransactionAgeMillis", "0")))
        .isInstanceOfSatisfying(InvalidArgumentException.class,
            e -> assertThat(e.context()).containsEntry("setting", "maxTransactionAge"));
    assertThatThrownBy(() -> provider.open(java.util.Map.of("maxTransactionAgeMillis", "soon")))
        .isInstanceOfSatisfying(InvalidArgumentException.class,
            e -> assertThat(e.context()).containsEntry("setting", "maxTransactionAgeMillis"));
    assertThatThrownBy(() -> provider.open(java.util.Map.of("path", "x")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown");
  }
}
