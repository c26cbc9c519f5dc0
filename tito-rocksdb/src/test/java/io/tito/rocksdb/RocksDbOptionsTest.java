package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The canonical constructor validates every setting and names the bad one; builders go through it. */
class RocksDbOptionsTest {

  private static final Path P = Path.of("store");
  private static final Duration S = Duration.ofSeconds(1);
  private static final Duration AGE = Duration.ofMinutes(5);

  private static void assertNames(String setting, ThrowingCallable construct) {
    assertThatThrownBy(construct).isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
      assertThat(e.context()).as("context of %s", e.getMessage()).containsEntry("setting", setting);
      assertThat(e.getMessage()).contains(setting);
    });
  }

  @Test
  void theCanonicalConstructorRejectsEveryBadSettingByName() {
    EngineLimits limits = EngineLimits.DEFAULT;
    Durability d = Durability.GROUP;
    assertNames("path", () -> new RocksDbOptions(null, d, S, limits, 0, true, AGE));
    assertNames("durability", () -> new RocksDbOptions(P, null, S, limits, 0, true, AGE));
    assertNames("syncInterval", () -> new RocksDbOptions(P, d, null, limits, 0, true, AGE));
    assertNames("syncInterval", () -> new RocksDbOptions(P, d, Duration.ZERO, limits, 0, true, AGE));
    assertNames("syncInterval", () -> new RocksDbOptions(P, d, Duration.ofHours(2), limits, 0, true, AGE));
    assertNames("limits", () -> new RocksDbOptions(P, d, S, null, 0, true, AGE));
    assertNames("limits.maxTransactionSize",
        () -> new RocksDbOptions(P, d, S, new EngineLimits(10, 10, (1L << 30) + 1), 0, true, AGE));
    assertNames("blockCacheBytes", () -> new RocksDbOptions(P, d, S, limits, -1, true, AGE));
    assertNames("maxTransactionAge", () -> new RocksDbOptions(P, d, S, limits, 0, true, null));
    assertNames("maxTransactionAge", () -> new RocksDbOptions(P, d, S, limits, 0, true, Duration.ZERO));
    assertNames("maxTransactionAge", () -> new RocksDbOptions(P, d, S, limits, 0, true, Duration.ofMillis(-5)));
    assertNames("maxTransactionAge", () -> new RocksDbOptions(P, d, S, limits, 0, true, Duration.ofDays(2)));
    assertThat(new RocksDbOptions(P, d, S, limits, 0, false, Duration.ofMillis(1)).maxTransactionAge())
        .isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void defaultsAndTheProviderSetting() {
    RocksDbOptions o = RocksDbOptions.of(P);
    assertThat(o.maxTransactionAge()).isEqualTo(Duration.ofMinutes(5)).isEqualTo(RocksDbOptions.DEFAULT_MAX_TRANSACTION_AGE);
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(RocksDbEngineProvider.toOptions(Map.of("path", "x", "maxTransactionAgeMillis", "1500"))
        .maxTransactionAge()).isEqualTo(Duration.ofMillis(1500));
    assertNames("maxTransactionAge",
        () -> RocksDbEngineProvider.toOptions(Map.of("path", "x", "maxTransactionAgeMillis", "0")));
    assertNames("maxTransactionAge", () -> RocksDbOptions.builder(P).maxTransactionAge(null).build());
  }

  @Test
  void warmCacheDefaultsToOnAndTheProviderTurnsItOff() {
    assertThat(RocksDbOptions.of(P).warmCache()).isTrue();
    assertThat(RocksDbOptions.of(P).toBuilder().warmCache(false).build().toBuilder().build().warmCache()).isFalse();
    assertThat(RocksDbEngineProvider.toOptions(Map.of("path", "x", "warmCache", "false")).warmCache()).isFalse();
    assertThat(RocksDbEngineProvider.toOptions(Map.of("path", "x")).warmCache()).isTrue();
  }
}
