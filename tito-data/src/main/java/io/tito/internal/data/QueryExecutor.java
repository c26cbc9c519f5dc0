package io.tito.internal.data;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.LimitExceededException;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.data.Page;
import io.tito.data.Versioned;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one page of a query: computes the key range from equality values and the range on the
 * next field, resumes after the continuation's key, streams the scan and stops at the limit or the
 * max-scan bound. Stateless and thread-safe.
 */
public final class QueryExecutor {

  private static final Logger log = LoggerFactory.getLogger(QueryExecutor.class);
  private static final byte[] FF = {(byte) 0xFF};

  private QueryExecutor() {}

  /** One page (without hydration). */
  public static <T> Page<T> page(Transaction tx, Records<T> records, IndexStates states,
      QuerySpec<T> q) {
    String table = records.model().table();
    Subspace space;
    List<String> fields;
    boolean covering = false;
    if (q.index() == null) {
      space = records.space();
      fields = List.of("id");
    } else {
      ValueIndexMaintainer<T> m = records.maintainer(q.index());
      if (m == null) {
        throw new InvalidArgumentException("unknown index",
            Map.of("table", table, "index", q.index()));
      }
      states.requireReadable(tx, table, q.index());
      space = m.space();
      fields = m.index().fields();
      covering = m.index().covering();
    }
    int used = q.equal().size() + (q.hasRange() ? 1 : 0);
    if (used > fields.size()) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("table", table);
      ctx.put("index", q.index() == null ? "<records>" : q.index());
      ctx.put("fields", fields);
      ctx.put("equalValues", q.equal().size());
      ctx.put("range", q.hasRange());
      throw new InvalidArgumentException("query constrains more fields than the index has", ctx);
    }
    // The fingerprint only matters to a token read or made: most pages need neither.
    byte[] fp = null;
    byte[][] bounds = bounds(space, q);
    byte[] lo = bounds[0];
    byte[] hi = bounds[1];
    if (q.seek() != null) {
      byte[][] s = seek(space, q, lo, hi);
      lo = s[0];
      hi = s[1];
    }
    if (q.continuation() != null) {
      fp = Continuations.fingerprint(table, q);
      byte[] last = ByteArrays.concat(space.key(), Continuations.decode(q.continuation(), fp));
      if (ByteArrays.compare(last, lo) < 0 || ByteArrays.compare(last, hi) >= 0) {
        throw new InvalidArgumentException("continuation is outside the query's range",
            Map.of("table", table));
      }
      if (q.reverse()) {
        hi = last;
      } else {
        lo = ByteArrays.keyAfter(last);
      }
    }
    List<Versioned<T>> items = new ArrayList<>();
    if (ByteArrays.compare(lo, hi) >= 0) {
      return new Page<>(items, null, 0);
    }
    int scanned = 0;
    byte[] lastKey = null;
    boolean more;
    try (KeyValueCursor c = tx.scan(new KeyRange(lo, hi), new ScanOptions(q.reverse(), 0))) {
      while (items.size() < q.limit() && scanned < q.maxScan() && c.hasNext()) {
        // Entries in batches of what is still wanted, so the records behind them are read with
        // one multi-key read each instead of one read per entry.
        int want = Math.min(q.limit() - items.size(), q.maxScan() - scanned);
        List<KeyValue> batch = new ArrayList<>(Math.min(want, 256));
        while (batch.size() < want && c.hasNext()) {
          batch.add(c.next());
        }
        scanned += batch.size();
        lastKey = batch.get(batch.size() - 1).key();
        if (q.index() == null) {
          fromRecords(records, batch, q, items);
          continue;
        }
        List<Versioned<T>> loaded = fromEntries(tx, records, batch, covering, q.includeDeleted());
        for (Versioned<T> v : loaded) {
          if (v == null || (v.deleted() && !q.includeDeleted())) {
            continue;
          }
          if (q.filter() != null && !q.filter().test(v.value())) {
            continue;
          }
          items.add(v);
        }
      }
      more = (items.size() >= q.limit() || scanned >= q.maxScan()) && c.hasNext();
    }
    if (more && fp == null) {
      fp = Continuations.fingerprint(table, q);
    }
    String token = more
        ? Continuations.encode(fp, Arrays.copyOfRange(lastKey, space.key().length, lastKey.length))
        : null;
    return new Page<>(items, token, scanned);
  }

  /**
   * Counts the entries of non-deleted records in a query's range (and from its seek position)
   * without reading records; at most {@code maxScan} entries, else {@link LimitExceededException}.
   */
  public static <T> long countRange(Transaction tx, Records<T> records, IndexStates states,
      QuerySpec<T> q) {
    long[] n = {0};
    entries(tx, records, states, q, "index-only count", v -> {
      if (!ValueIndexMaintainer.deletedEntry(v)) {
        n[0]++;
      }
    });
    return n[0];
  }

  /**
   * The ids of the non-deleted records behind the entries in a query's range (and from its seek
   * position), in entry order (reversed for a reverse query), without reading records; at most {@code maxScan} entries, else
   * {@link LimitExceededException}.
   */
  public static <T> List<Object> idsRange(Transaction tx, Records<T> records, IndexStates states,
      QuerySpec<T> q) {
    List<Object> ids = new ArrayList<>();
    entries(tx, records, states, q, "index-only id scan", v -> {
      if (!ValueIndexMaintainer.deletedEntry(v)) {
        ids.add(Tuple.unpack(v).get(1));
      }
    });
    return ids;
  }

  /** Receives an encoded id: a slice of a byte array, valid during the call. */
  @FunctionalInterface
  public interface SliceSink {

    /** One slice. */
    void accept(byte[] bytes, int offset, int length);
  }

  /**
   * Passes the encoded id (the tuple encoding of the id alone, as {@code Tuple.of(id).pack()})
   * of every non-deleted entry in a query's range to {@code sink}, without decoding it; returns
   * how many. At most {@code maxScan} entries, else {@link LimitExceededException}. An entry's
   * value is {@code (deleted, id)} or, for a covering index, {@code (deleted, id, raw)}: the id
   * of a non-covering entry is its value after the flag byte, as it is; a covering entry's is
   * re-encoded (its end is not known without decoding).
   */
  public static <T> long encodedIdsRange(Transaction tx, Records<T> records, IndexStates states,
      QuerySpec<T> q, SliceSink sink) {
    ValueIndexMaintainer<T> m = records.maintainer(q.index());
    boolean covering = m != null && m.index().covering();
    long[] n = {0};
    entries(tx, records, states, q, "index-only id scan", v -> {
      if (!ValueIndexMaintainer.deletedEntry(v)) {
        n[0]++;
        if (covering) {
          byte[] id = Tuple.of(Tuple.unpack(v).get(1)).pack();
          sink.accept(id, 0, id.length);
        } else {
          sink.accept(v, 1, v.length - 1);
        }
      }
    });
    return n[0];
  }

  /** Passes the value of every entry in a query's range to {@code sink}, at most maxScan. */
  private static <T> void entries(Transaction tx, Records<T> records, IndexStates states,
      QuerySpec<T> q, String what, java.util.function.Consumer<byte[]> sink) {
    String table = records.model().table();
    ValueIndexMaintainer<T> m = records.maintainer(q.index());
    if (m == null) {
      throw new InvalidArgumentException("unknown index",
          Map.of("table", table, "index", String.valueOf(q.index())));
    }
    states.requireReadable(tx, table, q.index());
    if (q.equal().size() + (q.hasRange() ? 1 : 0) > m.index().fields().size()) {
      throw new InvalidArgumentException("query constrains more fields than the index has",
          Map.of("table", table, "index", q.index(), "fields", m.index().fields()));
    }
    byte[][] b = bounds(m.space(), q);
    if (q.seek() != null) {
      b = seek(m.space(), q, b[0], b[1]);
    }
    if (ByteArrays.compare(b[0], b[1]) >= 0) {
      return;
    }
    int read = 0;
    try (KeyValueCursor c = tx.scan(new KeyRange(b[0], b[1]), new ScanOptions(q.reverse(), 0))) {
      while (c.hasNext()) {
        if (++read > q.maxScan()) {
          throw new LimitExceededException(what + " reached its scan limit",
              Map.of("table", table, "index", q.index(), "limit", "maxScan",
                  "maxScan", q.maxScan()));
        }
        sink.accept(c.next().value());
      }
    }
  }

  /** Counts non-deleted entries of a readable index under an equality prefix. */
  public static <T> long count(Transaction tx, Records<T> records, IndexStates states,
      String index, List<Object> equal) {
    ValueIndexMaintainer<T> m = records.maintainer(index);
    if (m == null) {
      throw new InvalidArgumentException("unknown index",
          Map.of("table", records.model().table(), "index", String.valueOf(index)));
    }
    if (equal.size() > m.index().fields().size()) {
      throw new InvalidArgumentException("query constrains more fields than the index has",
          Map.of("index", index, "fields", m.index().fields()));
    }
    states.requireReadable(tx, records.model().table(), index);
    long n = 0;
    try (KeyValueCursor c = tx.scan(m.space().rangeStartingWith(Tuple.fromList(equal)))) {
      while (c.hasNext()) {
        if (!ValueIndexMaintainer.deletedEntry(c.next().value())) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Adds the records of a batch of record entries that the query keeps (live unless deleted ones
   * are asked for, passing the filter) to {@code items}: the filter sees the decoded value before
   * the id is unpacked from the key, so a record it drops costs no id.
   */
  private static <T> void fromRecords(Records<T> records, List<KeyValue> batch, QuerySpec<T> q,
      List<Versioned<T>> items) {
    for (KeyValue kv : batch) {
      StoredRecord s = StoredRecord.decode(kv.value());
      if (s.deleted() && !q.includeDeleted()) {
        continue;
      }
      T value = records.model().codec().decode(s.body());
      if (q.filter() != null && !q.filter().test(value)) {
        continue;
      }
      Object id = records.space().unpack(kv.key()).get(0);
      items.add(new Versioned<>(value, id, s.version(), s.createdAt(), s.updatedAt(),
          s.deleted()));
    }
  }

  /**
   * The records behind a batch of index entries, in entry order: {@code null} for an entry that
   * is skipped (deleted and not asked for, or without its record). Non-covering entries' records
   * are read with one {@link Transaction#getAll}.
   */
  private static <T> List<Versioned<T>> fromEntries(Transaction tx, Records<T> records,
      List<KeyValue> batch, boolean covering, boolean includeDeleted) {
    List<Object> ids = new ArrayList<>(batch.size());
    List<StoredRecord> stored = new ArrayList<>(batch.size());
    List<byte[]> keys = new ArrayList<>(batch.size());
    List<Integer> keyAt = new ArrayList<>(batch.size());
    for (KeyValue kv : batch) {
      Tuple entry = Tuple.unpack(kv.value());
      if (entry.getBoolean(0) && !includeDeleted) {
        ids.add(null);
        stored.add(null);
        continue;
      }
      Object id = entry.get(1);
      ids.add(id);
      if (covering) {
        stored.add(StoredRecord.decode(entry.getBytes(2)));
      } else {
        stored.add(null);
        keyAt.add(stored.size() - 1);
        // The entry is (deleted, id): the id's encoding follows the one-byte flag as it is.
        byte[] v = kv.value();
        keys.add(records.keyOfEncodedId(v, 1, v.length - 1));
      }
    }
    if (!keys.isEmpty()) {
      List<byte[]> raw = tx.getAll(keys);
      for (int i = 0; i < raw.size(); i++) {
        byte[] r = raw.get(i);
        stored.set(keyAt.get(i), r == null ? null : StoredRecord.decode(r));
        if (r == null) {
          log.warn("index entry without record, skipped: table={} id={}",
              records.model().table(), ids.get(keyAt.get(i)));
        }
      }
    }
    return records.toVersionedAll(ids, stored);
  }

  /** Narrows [lo, hi) to start at the query's seek position in its direction (ties included). */
  private static byte[][] seek(Subspace space, QuerySpec<?> q, byte[] lo, byte[] hi) {
    List<Object> at = new ArrayList<>(q.equal());
    at.addAll(q.seek());
    byte[] k = space.pack(Tuple.fromList(at));
    if (q.reverse()) {
      byte[] end = ByteArrays.concat(k, FF);
      return new byte[][] {lo, ByteArrays.compare(end, hi) < 0 ? end : hi};
    }
    return new byte[][] {ByteArrays.compare(k, lo) > 0 ? k : lo, hi};
  }

  private static byte[][] bounds(Subspace space, QuerySpec<?> q) {
    Tuple eq = Tuple.fromList(q.equal());
    byte[] lo = space.pack(eq);
    byte[] hi = ByteArrays.concat(lo, FF);
    if (q.prefix() != null) {
      byte[] p = space.pack(eq.add(q.prefix()));
      byte[] open = Arrays.copyOf(p, p.length - 1);
      return new byte[][] {open, ByteArrays.concat(open, FF)};
    }
    if (q.hasLower()) {
      byte[] k = space.pack(eq.add(q.lower()));
      lo = q.lowerInclusive() ? k : ByteArrays.concat(k, FF);
    }
    if (q.hasUpper()) {
      byte[] k = space.pack(eq.add(q.upper()));
      hi = q.upperInclusive() ? ByteArrays.concat(k, FF) : k;
    }
    return new byte[][] {lo, hi};
  }
}
