package io.tito;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A streamed range scan: rows are fetched from the engine as the caller iterates, never loaded as
 * a whole. A cursor belongs to the transaction that opened it, is used by one thread, and must be
 * closed (try-with-resources); closing the transaction also invalidates it.
 */
public interface KeyValueCursor extends Iterator<KeyValue>, AutoCloseable {

  /** Releases engine resources held by the scan. Idempotent; never throws a checked exception. */
  @Override
  void close();

  /** Reads the remaining rows into a list and closes the cursor. Use only on bounded scans. */
  default List<KeyValue> toList() {
    try (this) {
      List<KeyValue> out = new ArrayList<>();
      while (hasNext()) {
        out.add(next());
      }
      return out;
    }
  }
}
