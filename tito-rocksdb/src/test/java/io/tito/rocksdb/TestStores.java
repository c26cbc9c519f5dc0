package io.tito.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Helpers shared by the engine tests. */
final class TestStores {

  private TestStores() {}

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  static String s(byte[] bytes) {
    return bytes == null ? null : new String(bytes, UTF_8);
  }

  static void put(Engine engine, String key, String value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b(key), b(value));
      tx.commit();
    }
  }

  static String get(Engine engine, String key) {
    try (EngineTransaction tx = engine.begin(true)) {
      return s(tx.get(b(key)));
    }
  }

  static RocksDbEngine open(Path dir, Durability durability) {
    return RocksDbEngine.open(RocksDbOptions.builder(dir).durability(durability)
        .blockCacheBytes(8L << 20).build());
  }

  static int openFileDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
