package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;

/** Reads of committed state for engine tests, each in a read-only transaction of its own. */
final class StoreReads {

  private StoreReads() {}

  /** The committed value of {@code key}, or null if absent. */
  static byte[] bytes(Engine engine, byte[] key) {
    try (EngineTransaction tx = engine.begin(true)) {
      return tx.get(key);
    }
  }

  /** The committed value of {@code key} as UTF-8 text, or null if absent. */
  static String text(Engine engine, byte[] key) {
    byte[] v = bytes(engine, key);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  /** The committed value of a sequence counter (a tuple-encoded integer), 0 if absent. */
  static long counter(Engine engine, byte[] key) {
    byte[] v = bytes(engine, key);
    return v == null ? 0 : Tuple.unpack(v).getLong(0);
  }
}
