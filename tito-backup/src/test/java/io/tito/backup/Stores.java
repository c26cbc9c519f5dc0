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

  /** Writes 10,000 keys {@code k000000..k009999} of 8-47 bytes each, in five commits (many chunks). */
  static void writeBulkHistory(Engine engine) {
    for (int batch = 0; batch < 5; batch++) {
      int base = batch * 2000;
      commit(engine, tx -> {
        for (int i = base; i < base + 2000; i++) {
          tx.set(b(String.format("k%06d", i)), b("value " + i + " ".repeat(i % 40)));
        }
      });
    }
  }

  /** One commit changing what {@link #writeBulkHistory} wrote: a set, a clear, a range clear, a new key. */
  static void changeBulkHistory(Engine engine) {
    commit(engine, tx -> {
      tx.set(b("k000001"), b("changed"));
      tx.clear(b("k000002"));
      tx.clearRange(b("k000100"), b("k000200"));
      tx.set(b("new"), b("key"));
    });
  }
}
