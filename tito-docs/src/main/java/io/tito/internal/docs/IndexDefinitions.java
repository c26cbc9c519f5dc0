package io.tito.internal.docs;

import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.data.DataStore;
import io.tito.data.Index;
import io.tito.data.ModelStore;
import io.tito.docs.DocumentStore;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fingerprints of index definitions, keyed {@code table/index}: a SHA-256 prefix of the table,
 * index name, fields (document paths) and unique/covering flags. Stateless.
 */
public final class IndexDefinitions {

  private IndexDefinitions() {}

  /** The definitions of the data and document stores of an open store. */
  public static Map<String, String> of(Tito tito) {
    Map<String, String> out = new TreeMap<>();
    for (Class<?> type : List.of(DataStore.class, DocumentStore.class)) {
      Object m;
      try {
        m = tito.module(type);
      } catch (RuntimeException absent) {
        continue;
      }
      DataStore data = m instanceof DocumentStore d ? d.data() : (DataStore) m;
      for (String table : data.tables()) {
        ModelStore<?> store = data.store(table).orElseThrow();
        for (Index<?> ix : store.model().indexes()) {
          out.put(table + "/" + ix.name(), fingerprint(table, ix));
        }
      }
    }
    return out;
  }

  /**
   * The definitions {@code modules} declare, read by opening their data and document stores on
   * an empty in-memory engine (nothing is written to any real store).
   */
  public static Map<String, String> declared(List<TitoModule<?>> modules) {
    Tito.Builder b = Tito.builder().engine(new MemoryEngine());
    for (TitoModule<?> m : modules) {
      if (m.type() == DataStore.class || m.type() == DocumentStore.class) {
        b.with(m);
      }
    }
    try (Tito probe = b.build()) {
      return of(probe);
    }
  }

  private static String fingerprint(String table, Index<?> ix) {
    String text = table + "\u0000" + ix.name() + "\u0000" + String.join("\u0001", ix.fields())
        + "\u0000" + ix.unique() + "\u0000" + ix.covering();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
