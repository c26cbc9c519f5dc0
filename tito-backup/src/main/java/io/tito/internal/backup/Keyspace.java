package io.tito.internal.backup;

import io.tito.spi.Engine;
import java.util.Arrays;

/** The bounds of an engine's whole key space. */
final class Keyspace {

  private Keyspace() {}

  /**
   * An exclusive end above every key the engine accepts: {@code maxKeySize + 1} bytes of 0xFF
   * (a longer key would exceed the limit, and every accepted key sorts below it).
   */
  static byte[] end(Engine engine) {
    byte[] end = new byte[engine.limits().maxKeySize() + 1];
    Arrays.fill(end, (byte) 0xFF);
    return end;
  }
}
