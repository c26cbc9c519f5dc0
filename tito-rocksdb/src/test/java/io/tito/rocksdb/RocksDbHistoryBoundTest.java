package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conflict history kept in memory is bounded: read-only transactions hold none, read-write
 * transactions hold it for at most {@link RocksDbOptions#maxTransactionAge()}, and pruning
 * catches up incrementally once they end.
 */
class RocksDbHistoryBoundTest {

  private static final int COMMITS = 3_000;

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong();

  private RocksDbEngine open(Durability durability, Duration maxAge) {
    return RocksDbEngine.open(RocksDbOptions.builder(dir).durability(durability)
        .blockCacheBytes(8L << 20).maxTransactionAge(maxAge).build(), UnaryOperator.identity(), clock::get);
  }

  private static void put(RocksDbEngine engine, int i) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b("k" + i), b("v" + i));
      tx.commit();
    }
  }


  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"GROUP", "NONE"})
  void aReadOnlyTransactionHeldOpenDoesNotKeepConflictHistory(Durability durability) {
    try (RocksDbEngine engine = open(durability, Duration.ofMinutes(5))) {
      put(engine, 0);
      try (EngineTransaction reader = engine.begin(true)) {
        assertThat(reader.get(b("k0"))).isEqualTo(b("v0"));
        for (int i = 1; i <= COMMITS; i++) {
          put(engine, i);
        }
        assertThat(engine.conflictHistorySize())
            .as("writes remembered after %d commits with a reader open", COMMITS).isLessThan(100);
        assertThat(reader.get(b("k" + COMMITS))).as("the reader still reads its snapshot").isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"GROUP", "NONE"})
  void aWriterOlderThanTheMaximumAgeFailsAtItsNextCallAndHoldsNoHistory(Durability durability) {
    Duration maxAge = Duration.ofMinutes(1);
    try (RocksDbEngine engine = open(durability, maxAge)) {
      EngineTransaction writer = engine.begin(false);
      writer.get(b("k0"));
      writer.set(b("mine"), b("x"));
      EngineTransaction reader = engine.begin(true);
      clock.addAndGet(maxAge.toNanos());
      writer.get(b("k0")); // exactly the maximum age: still usable
      clock.addAndGet(1);
      for (int i = 1; i <= COMMITS; i++) {
        put(engine, i);
      }
      assertThat(engine.conflictHistorySize()).as("history kept for an expired writer").isLessThan(100);
      assertThatThrownBy(() -> writer.get(b("k1")))
          .isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.staticMessage()).isEqualTo("transaction is older than the engine's maxTransactionAge");
            assertThat(e.context()).containsEntry("engine", "rocksdb").containsEntry("maxTransactionAgeMillis", 60_000L);
          });
      assertThatThrownBy(writer::commit).isInstanceOf(ConflictException.class);
      writer.close();
      assertThat(reader.get(b("k1"))).as("a read-only transaction has no age limit").isNull();
      reader.close();
      assertThat(TestStores.get(engine, "mine")).as("the expired writer's write").isNull();
    }
  }
}
