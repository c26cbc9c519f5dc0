package io.tito.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Helpers shared by the backup tests: writing and reading whole stores. */
final class Stores {

  private Stores() {}

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void commit(Engine engine, Consumer<EngineTransaction> body) {
    try (EngineTransaction tx = engine.begin(false)) {
      body.accept(tx);
      tx.commit();
    }
  }

  /** Every key-value of the store, in key order, as printable strings. */
  static List<String> dump(Engine engine) {
    byte[] end = new byte[engine.limits().maxKeySize() + 1];
    Arrays.fill(end, (byte) 0xFF);
    List<String> out = new ArrayList<>();
    try (EngineTransaction tx = engine.begin(true);
        KeyValueCursor c = tx.scan(new byte[0], end, ScanOptions.FORWARD)) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        out.add(java.util.HexFormat.of().formatHex(kv.key()) + "=" + java.util.HexFormat.of().formatHex(kv.value()));
      }
    }
    return out;
  }

  static void assertSameContents(Engine actual, List<String> expected, String what) {
    assertThat(dump(actual)).as(what).containsExactlyElementsOf(expected);
  }
}
