package io.tito.data.internal;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.data.IndexBuildProgress;
import io.tito.data.IndexState;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an index over existing records in batches, one transaction each, after registering it
 * (WRITE_ONLY) if it was not. The last indexed record key is kept in the index state, so a build
 * resumes where it stopped. Writers maintain the
 * index all along; a batch and a writer touching the same record write the same entry keys, so
 * they conflict and one retries. Stateless and thread-safe.
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
    tito.inTransaction(tx -> states.register(tx, table, index));
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
        int n = 0;
        byte[] last = null;
        try (KeyValueCursor c = tx.scan(range, ScanOptions.FORWARD.withLimit(batchSize))) {
          while (c.hasNext()) {
            KeyValue kv = c.next();
            Object id = records.space().unpack(kv.key()).get(0);
            records.indexExisting(tx, id, kv.value(), List.of(index));
            n++;
            last = kv.key();
          }
        }
        boolean done = n < batchSize;
        if (done) {
          // The rest of the table is empty in this snapshot. Clearing it (a no-op here) makes
          // this commit conflict with any record inserted there meanwhile, so the index is not
          // marked readable over a record a writer without the index slipped in.
          tx.clearRange(last == null ? range : new KeyRange(ByteArrays.keyAfter(last), all.end()));
        }
        states.write(tx, table, index, done ? IndexState.READABLE : IndexState.WRITE_ONLY,
            done ? null : last);
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
