package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.get;
import static io.tito.rocksdb.TestStores.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbEngineProviderTest {

  @TempDir Path dir;

  private static EngineProvider provider() {
    return ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("rocksdb"))
        .findFirst().orElseThrow();
  }

  @Test
  void foundByNameThroughServiceLoaderAndOpensWithSettings() {
    Map<String, String> settings = Map.of("path", dir.toString(), "durability", "periodic",
        "syncIntervalMillis", "250", "blockCacheBytes", "1048576");
    try (Engine engine = provider().open(settings)) {
      assertThat(engine).isInstanceOf(RocksDbEngine.class);
      assertThat(engine.capabilities()).contains(Capability.DURABLE);
      RocksDbOptions o = ((RocksDbEngine) engine).options();
      assertThat(o.durability()).isEqualTo(Durability.PERIODIC);
      assertThat(o.syncInterval()).isEqualTo(Duration.ofMillis(250));
      assertThat(o.blockCacheBytes()).isEqualTo(1 << 20);
      put(engine, "k", "v");
    }
    try (Engine engine = provider().open(Map.of("path", dir.toString()))) {
      assertThat(((RocksDbEngine) engine).options().durability()).isEqualTo(Durability.GROUP);
      assertThat(get(engine, "k")).isEqualTo("v");
    }
  }

  @Test
  void unknownSettingIsRejectedListingTheKnownOnes() {
    assertThatThrownBy(() -> provider().open(Map.of("path", dir.toString(), "fsync", "always")))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.staticMessage()).isEqualTo("unknown engine settings");
          assertThat(e.getMessage()).contains("fsync").contains("path").contains("durability")
              .contains("syncIntervalMillis").contains("blockCacheBytes");
        });
  }

  @Test
  void missingOrMalformedSettingsAreRejected() {
    assertThatThrownBy(() -> provider().open(Map.of())).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("path");
    assertThatThrownBy(() -> provider().open(Map.of("path", dir.toString(), "durability", "sometimes")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sync|group|periodic|none");
    assertThatThrownBy(() -> provider().open(Map.of("path", dir.toString(), "syncIntervalMillis", "soon")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> provider().open(Map.of("path", dir.toString(), "syncIntervalMillis", "0")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> provider().open(Map.of("path", dir.toString(), "blockCacheBytes", "-1")))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void optionsHaveDocumentedDefaults() {
    RocksDbOptions o = RocksDbOptions.of(dir);
    assertThat(o.durability()).isEqualTo(Durability.GROUP);
    assertThat(o.syncInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.blockCacheBytes()).isEqualTo(RocksDbOptions.DEFAULT_BLOCK_CACHE_BYTES)
        .isBetween(64L << 20, 1L << 30);
    assertThat(o.createIfMissing()).isTrue();
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThatThrownBy(() -> RocksDbOptions.builder(null).build()).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void theFrontDoorOpensRocksDbUrlsWithSettingsAsQueryParameters() {
    try (io.tito.Tito tito = io.tito.Tito.open("rocksdb:" + dir + "?durability=sync")) {
      RocksDbEngine engine = (RocksDbEngine) tito.engine();
      assertThat(engine.path()).isEqualTo(dir);
      assertThat(engine.options().durability()).isEqualTo(Durability.SYNC);
      tito.inTransaction(tx -> tx.set(new byte[] {1}, new byte[] {2}));
    }
    try (io.tito.Tito again = io.tito.Tito.open("rocksdb:" + dir)) {
      byte[] v = again.read(tx -> tx.get(new byte[] {1}));
      assertThat(v).containsExactly(2);
    }
    assertThatThrownBy(() -> io.tito.Tito.open("rocksdb:" + dir + "?fsync=always"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("fsync");
  }
}
