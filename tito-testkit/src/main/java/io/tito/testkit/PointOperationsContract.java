package io.tito.testkit;

import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertValue;
import static io.tito.testkit.Kit.bytes;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.scanAll;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Point reads and writes: get, set, clear; absent keys, overwrites, empty values and keys. */
public interface PointOperationsContract extends EngineFixture {

  @Test
  default void absentKeyReadsNull() {
    try (EngineTransaction tx = engine().begin(true)) {
      assertValue(tx.get(k("a")), null, "get on an empty engine (read-only)");
    }
    try (EngineTransaction tx = engine().begin(false)) {
      assertValue(tx.get(k("a")), null, "get on an empty engine (read-write)");
    }
    commit(engine(), tx -> {
      tx.set(k("a\0"), v("1"));
      tx.set(k("ab"), v("2"));
      tx.set(k("\0"), v("3"));
    });
    read(engine(), tx -> {
      for (String absent : new String[] {"a", "a\0\0", "b", "", "\0\0", "aa", "\u00ff"}) {
        assertValue(tx.get(k(absent)), null, "get of absent key '%s' next to present ones", absent);
      }
      assertValue(tx.get(k("a\0")), v("1"), "get a\\0");
      return null;
    });
  }

  @Test
  default void setIsVisibleInTheTransactionAndAfterCommit() {
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("k"), v("v1"));
      assertValue(tx.get(k("k")), v("v1"), "get after set, same transaction");
      tx.commit();
    }
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("v1"), "get after commit");
      return null;
    });
  }

  @Test
  default void overwriteReplacesTheWholeValue() {
    commit(engine(), tx -> tx.set(k("k"), v("long-original-value")));
    commit(engine(), tx -> {
      tx.set(k("k"), v("xy"));
      assertValue(tx.get(k("k")), v("xy"), "shorter overwrite, same transaction");
    });
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("xy"), "shorter overwrite after commit");
      return null;
    });
    commit(engine(), tx -> {
      tx.set(k("k"), v("1"));
      tx.set(k("k"), v("22"));
      tx.set(k("k"), v("333"));
      assertValue(tx.get(k("k")), v("333"), "last of several overwrites in one transaction");
    });
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("333"), "last of several overwrites after commit");
      assertThat(scanAll(tx)).containsExactly(new KeyValue(k("k"), v("333")));
      return null;
    });
  }

  @Test
  default void clearRemovesOnlyThatKey() {
    commit(engine(), tx -> {
      tx.set(k("a"), v("1"));
      tx.set(k("a\0"), v("2"));
      tx.set(k("ab"), v("3"));
      tx.set(k(""), v("4"));
    });
    commit(engine(), tx -> {
      tx.clear(k("a"));
      tx.clear(k("never-written"));
      assertValue(tx.get(k("a")), null, "get after clear, same transaction");
      assertValue(tx.get(k("a\0")), v("2"), "neighbour a\\0 after clear of a");
    });
    read(engine(), tx -> {
      assertValue(tx.get(k("a")), null, "get after committed clear");
      assertValue(tx.get(k("never-written")), null, "clear of an absent key creates nothing");
      assertThat(scanAll(tx)).containsExactly(
          new KeyValue(k(""), v("4")), new KeyValue(k("a\0"), v("2")), new KeyValue(k("ab"), v("3")));
      return null;
    });
  }

  @Test
  default void clearThenSetAgain() {
    commit(engine(), tx -> tx.set(k("k"), v("1")));
    commit(engine(), tx -> {
      tx.clear(k("k"));
      tx.set(k("k"), v("2"));
      assertValue(tx.get(k("k")), v("2"), "set after clear, same transaction");
    });
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("2"), "set after clear, committed");
      return null;
    });
    commit(engine(), tx -> tx.clear(k("k")));
    commit(engine(), tx -> tx.set(k("k"), v("3")));
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("3"), "set in a later transaction than the clear");
      return null;
    });
  }

  @Test
  default void emptyValueIsDistinctFromAbsent() {
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("e"), EMPTY);
      assertValue(tx.get(k("e")), EMPTY, "empty value, same transaction");
      assertThat(scan(tx, k("a"), k("z"), ScanOptions.FORWARD))
          .as("scan shows the empty value").containsExactly(new KeyValue(k("e"), EMPTY));
      tx.commit();
    }
    read(engine(), tx -> {
      assertValue(tx.get(k("e")), EMPTY, "empty value after commit");
      assertThat(scan(tx, k("a"), k("z"), ScanOptions.REVERSE))
          .as("reverse scan shows the empty value").containsExactly(new KeyValue(k("e"), EMPTY));
      return null;
    });
    commit(engine(), tx -> tx.clear(k("e")));
    read(engine(), tx -> {
      assertValue(tx.get(k("e")), null, "cleared empty value");
      assertThat(scanAll(tx)).isEmpty();
      return null;
    });
  }

  @Test
  default void emptyKeyIsAValidKey() {
    commit(engine(), tx -> {
      tx.set(EMPTY, v("root"));
      tx.set(k("\0"), v("zero"));
      assertValue(tx.get(EMPTY), v("root"), "empty key, same transaction");
    });
    read(engine(), tx -> {
      assertValue(tx.get(EMPTY), v("root"), "empty key after commit");
      assertThat(scan(tx, EMPTY, k("\0"), ScanOptions.FORWARD))
          .as("[empty, \\0) holds exactly the empty key").containsExactly(new KeyValue(EMPTY, v("root")));
      assertThat(scan(tx, EMPTY, k("a"), ScanOptions.REVERSE)).containsExactly(
          new KeyValue(k("\0"), v("zero")), new KeyValue(EMPTY, v("root")));
      return null;
    });
    commit(engine(), tx -> tx.clear(EMPTY));
    read(engine(), tx -> {
      assertValue(tx.get(EMPTY), null, "cleared empty key");
      assertValue(tx.get(k("\0")), v("zero"), "\\0 after clearing the empty key");
      return null;
    });
  }

  @Test
  default void keysThatDifferOnlyInTrailingZerosAreDistinct() {
    List<String> keys = List.of("", "\0", "\0\0", "a", "a\0", "a\0\0", "a\0\0\0", "a\u00ff", "a\u00ff\0");
    commit(engine(), tx -> {
      for (String key : keys) {
        tx.set(k(key), v("value of " + key));
      }
    });
    read(engine(), tx -> {
      for (String key : keys) {
        assertValue(tx.get(k(key)), v("value of " + key), "get '%s'", key.replace("\0", "\\0"));
      }
      assertThat(scanAll(tx)).extracting(kv -> new String(kv.key(), java.nio.charset.StandardCharsets.ISO_8859_1))
          .containsExactlyElementsOf(keys);
      return null;
    });
  }

  @Test
  default void everyByteValueRoundTripsInKeysAndValues() {
    byte[] allBytes = new byte[256];
    byte[] allBytesDescending = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
      allBytesDescending[i] = (byte) (255 - i);
    }
    int keySize = Math.min(256, engine().limits().maxKeySize());
    byte[] key = java.util.Arrays.copyOf(allBytes, keySize);
    commit(engine(), tx -> {
      tx.set(key, allBytesDescending);
      tx.set(bytes(0x80, 0x00, 0xFF, 0x7F), allBytes);
    });
    read(engine(), tx -> {
      assertValue(tx.get(key), allBytesDescending, "key made of bytes 0x00..0xFF");
      assertValue(tx.get(bytes(0x80, 0x00, 0xFF, 0x7F)), allBytes, "value made of bytes 0x00..0xFF");
      assertValue(tx.get(bytes(0x80, 0x00, 0xFF)), null, "a prefix of a binary key");
      return null;
    });
  }

  @Test
  default void arraysAreCopiedInAndOut() {
    byte[] key = k("key");
    byte[] value = v("value");
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(key, value);
      key[0] = 'X';
      value[0] = 'X';
      assertValue(tx.get(k("key")), v("value"), "pending value after the caller changed its arrays");
      byte[] got = tx.get(k("key"));
      got[0] = 'Y';
      assertValue(tx.get(k("key")), v("value"), "pending value after the caller changed a returned array");
      List<KeyValue> rows = scanAll(tx);
      rows.get(0).key()[0] = 'Z';
      rows.get(0).value()[0] = 'Z';
      assertThat(scanAll(tx)).containsExactly(new KeyValue(k("key"), v("value")));
      tx.commit();
    }
    read(engine(), tx -> {
      byte[] got = tx.get(k("key"));
      assertValue(got, v("value"), "committed value");
      got[1] = 'Y';
      assertValue(tx.get(k("key")), v("value"), "committed value after the caller changed a returned array");
      List<KeyValue> rows = scanAll(tx);
      rows.get(0).key()[0] = 'Z';
      rows.get(0).value()[0] = 'Z';
      assertThat(scanAll(tx)).containsExactly(new KeyValue(k("key"), v("value")));
      assertValue(tx.get(k("Xey")), null, "the caller's changed key array was not stored");
      return null;
    });
  }
}
