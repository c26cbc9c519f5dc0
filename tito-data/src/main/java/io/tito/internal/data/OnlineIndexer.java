package io.tito.internal.data;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.data.Index;
import io.tito.data.IndexBuildProgress;
import io.tito.data.IndexState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an index over existing records in batches, one transaction each, after registering it
 * (WRITE_ONLY) if it was not. The last indexed record key is kept in the index state, so a build
 * resumes where it stopped. Writers maintain the index once registered; each batch also rewrites
 * the span of records it covers unchanged, so it conflicts with any write committed there after
 * its snapshot, including writes by transactions that began before the registration and so do not
 * maintain the index. Stateless and thread-safe.
 */
public final class OnlineIndexer {

  private static final Logger log = LoggerFactory.getLogger(OnlineIndexer.class);

  private OnlineIndexer() {}

  private record Batch(int records, boolean done) {}

  public static <T> IndexBuildProgress build(Tito tito, Records<T> records, IndexStates states,
      String index, int batchSize, Consumer<IndexBuildProgress> progress) {
    if (batchSize < 1) {
      throw new InvalidArgumentException("batch size must be positive",
          Map.of("batchSize", batchSize));
    }
    String table = records.model().table();
    Index<T> definition = records.model().index(index).orElseThrow(
        () -> new InvalidArgumentException("unknown index", Map.of("table", table, "index", index)));
    tito.inTransaction(tx -> states.register(tx, table, definition));
    long scanned = 0;
    int batches = 0;
    while (true) {
      Batch b = tito.transaction(tx -> {
        if (states.stored(tx, table, index) == IndexState.READABLE) {
          return new Batch(0, true);
        }
        byte[] cursor = states.buildCursor(tx, table, index);
        KeyRange all = records.space().range();
        KeyRange range = cursor == null ? all : new KeyRange(ByteArrays.keyAfter(cursor), all.end());
        List<KeyValue> batch = new ArrayList<>();
        try (KeyValueCursor c = tx.scan(range, ScanOptions.FORWARD.withLimit(batchSize))) {
          while (c.hasNext()) {
            KeyValue kv = c.next();
            Object id = records.space().unpack(kv.key()).get(0);
            records.indexExisting(tx, id, kv.value(), List.of(index));
            batch.add(kv);
          }
        }
        int n = batch.size();
        byte[] last = n == 0 ? null : batch.get(n - 1).key();
        boolean done = n < batchSize;
        // Fence: the span this batch covers (up to its last record, or the whole rest of the
        // table for the last batch) is cleared and its records written back unchanged, a no-op
        // that makes this commit conflict with any write committed in the span meanwhile (an
        // insert, update or delete by a writer whose snapshot predates the index's registration
        // and so does not maintain it); the retry then indexes what that writer left.
        tx.clearRange(new KeyRange(range.begin(), done ? all.end() : ByteArrays.keyAfter(last)));
        for (KeyValue kv : batch) {
          tx.set(kv.key(), kv.value());
        }
        if (done) {
          states.markReadable(tx, table, index);
        } else {
          states.write(tx, table, index, IndexState.WRITE_ONLY, last);
        }
        return new Batch(n, done);
      });
      scanned += b.records();
      batches++;
      IndexBuildProgress p = new IndexBuildProgress(table, index, scanned, batches,
          b.done() ? IndexState.READABLE : IndexState.WRITE_ONLY);
      log.debug("index build progress: {}", p);
      if (progress != null) {
        progress.accept(p);
      }
      if (b.done()) {
        return p;
      }
    }
  }
}
