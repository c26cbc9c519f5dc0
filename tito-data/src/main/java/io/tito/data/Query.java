package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.internal.data.QuerySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A query on one index (or, from {@link ModelStore#scanAll()}, on the records themselves by id),
 * built fluently and run one page at a time:
 *
 * <pre>{@code
 * Page<User> page = users.query("by_country_age").eq("NO").between(18, 30)
 *     .reverse().limit(50).filter(User::active).page();
 * Page<User> next = users.query("by_country_age").eq("NO").between(18, 30)
 *     .reverse().limit(50).filter(User::active).after(page.continuation()).page();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #eq} gives values for the leading index fields, in order; then at most one range
 *       on the next field: {@link #gt}, {@link #ge}, {@link #lt}, {@link #le} (a lower and an
 *       upper bound may be combined), {@link #between} (both inclusive) or {@link #startsWith}
 *       (strings, by code point prefix). Values compare in tuple order: numbers by value, strings
 *       by code point, null first.
 *   <li>Order is index order, or its reverse ({@link #reverse()}); rows with equal values are in
 *       id order. Default: forward.
 *   <li>{@link #limit} (default 100) bounds the rows of a page; {@link #maxScan} (default
 *       {@code max(limit, 10_000)}) bounds the entries read, so a selective {@link #filter} or
 *       many soft-deleted rows return a short page with a continuation instead of scanning on.
 *   <li>Soft-deleted records are skipped unless {@link #includeDeleted()}.
 *   <li>{@link #after} resumes exactly after the last row the previous page read, forward or
 *       reverse. A malformed, corrupted or foreign token (made by a query with other index,
 *       values, range, direction or deleted-row setting) fails with
 *       {@link InvalidArgumentException}; page size and filter may change between pages.
 * </ul>
 *
 * <p>Numbers are converted exactly to the numeric type of the index field they constrain, or
 * refused (see {@link Index}): {@code gt(1)} on a {@code double} field means {@code gt(1.0)}.
 *
 * <p>Errors: {@link InvalidArgumentException} for an unknown index, more constrained fields than
 * the index has, a bound given twice, a number with no exact equivalent of the field's type, or
 * an index that is not readable yet (being built).
 *
 * <p>Not thread-safe: a query is a builder; {@link #page()} may be called more than once.
 *
 * @param <T> the model type
 */
public final class Query<T> {

  private final ModelStore<T> store;
  private final String index;
  private final List<Object> equal = new ArrayList<>();
  private boolean hasLower;
  private Object lower;
  private boolean lowerInclusive;
  private boolean hasUpper;
  private Object upper;
  private boolean upperInclusive;
  private String prefix;
  private boolean reverse;
  private int limit = 100;
  private int maxScan;
  private Predicate<T> filter;
  private boolean includeDeleted;
  private final List<String> hydrate = new ArrayList<>();
  private MissingPolicy missing = MissingPolicy.SKIP;
  private String continuation;
  private List<Object> seek;

  Query(ModelStore<T> store, String index) {
    this.store = store;
    this.index = index;
  }

  /** Equality on the next leading fields, in index order. */
  public Query<T> eq(Object... values) {
    if (hasRange()) {
      throw invalid("equality values must come before the range");
    }
    for (Object v : values == null ? new Object[] {null} : values) {
      equal.add(typed(equal.size(), v));
    }
    return this;
  }

  /** Next field greater than {@code value}. */
  public Query<T> gt(Object value) {
    return lower(value, false);
  }

  /** Next field greater than or equal to {@code value}. */
  public Query<T> ge(Object value) {
    return lower(value, true);
  }

  /** Next field less than {@code value}. */
  public Query<T> lt(Object value) {
    return upper(value, false);
  }

  /** Next field less than or equal to {@code value}. */
  public Query<T> le(Object value) {
    return upper(value, true);
  }

  /** Next field between {@code from} and {@code to}, both inclusive. */
  public Query<T> between(Object from, Object to) {
    return lower(from, true).upper(to, true);
  }

  /** Next field is a string starting with {@code value} (code point prefix, case-sensitive). */
  public Query<T> startsWith(String value) {
    if (value == null || hasRange()) {
      throw invalid("startsWith needs a string and no other range");
    }
    this.prefix = value;
    return this;
  }

  /** Descending index order. */
  public Query<T> reverse() {
    this.reverse = true;
    return this;
  }

  /** Rows per page, at least 1. Default 100. */
  public Query<T> limit(int rows) {
    if (rows < 1) {
      throw new InvalidArgumentException("limit must be positive", Map.of("limit", rows));
    }
    this.limit = rows;
    return this;
  }

  /** Entries read per page at most, at least 1. Default {@code max(limit, 10_000)}. */
  public Query<T> maxScan(int entries) {
    if (entries < 1) {
      throw new InvalidArgumentException("maxScan must be positive", Map.of("maxScan", entries));
    }
    this.maxScan = entries;
    return this;
  }

  /** A residual filter applied to decoded records after the index range. Default: none. */
  public Query<T> filter(Predicate<T> predicate) {
    this.filter = predicate;
    return this;
  }

  /** Also return soft-deleted records ({@link Versioned#deleted()} tells). */
  public Query<T> includeDeleted() {
    this.includeDeleted = true;
    return this;
  }

  /**
   * Hydrates the named relationships (dotted paths for more levels: {@code "tags.creator"}).
   *
   * @throws InvalidArgumentException if a path is null or blank or names an unknown relationship
   */
  public Query<T> hydrate(String... paths) {
    List<String> list = paths == null ? null : Arrays.asList(paths);
    store.requireRelationshipPaths(list);
    hydrate.addAll(list);
    return this;
  }

  /** What hydration does with a missing referenced record. Default {@link MissingPolicy#SKIP}. */
  public Query<T> onMissing(MissingPolicy policy) {
    this.missing = policy == null ? MissingPolicy.SKIP : policy;
    return this;
  }

  /** Resumes after the page that returned {@code token}; null starts from the beginning. */
  public Query<T> after(String token) {
    this.continuation = token;
    return this;
  }

  /**
   * Starts the scan at a keyset position instead of the start of the range: at the first entry
   * (in scan direction) whose values after the equality values are at or past {@code values}, a
   * prefix of the remaining index fields, optionally followed by the record id. Entries equal to
   * {@code values} on those fields are included, so a caller resuming after a known row skips
   * the ties it has already seen. The range still bounds the scan; {@link #after} may be combined.
   *
   * @throws InvalidArgumentException if no values are given, more than the remaining fields plus
   *     the id, or on a full scan ({@link ModelStore#scanAll()})
   */
  public Query<T> seek(Object... values) {
    if (index == null || values == null || values.length == 0) {
      throw invalid("seek needs an index query and at least one value");
    }
    int fields = store.model().index(index).orElseThrow().fields().size();
    if (equal.size() + values.length > fields + 1) {
      throw invalid("seek has more values than the index has fields after the equality values");
    }
    List<Object> typedValues = new ArrayList<>();
    for (Object v : values) {
      int at = equal.size() + typedValues.size();
      typedValues.add(at < fields ? typed(at, v) : v);
    }
    this.seek = Collections.unmodifiableList(typedValues);
    return this;
  }

  /**
   * Counts the entries in this query's range (from its {@link #seek} position, if any) of records
   * that are not soft-deleted, without reading the records: the index answers alone. A
   * multi-valued index counts entries, so a record with two matching values counts twice. Reads
   * at most {@link #maxScan} entries.
   *
   * @throws InvalidArgumentException if a filter, relationships to hydrate or a continuation are
   *     set (they need the records), or on a full scan
   * @throws io.tito.LimitExceededException if the range holds more than {@code maxScan} entries
   *     (context {@code limit=maxScan})
   */
  public long count(Transaction tx) {
    if (index == null || filter != null || !hydrate.isEmpty() || continuation != null) {
      throw invalid("an index-only count takes no filter, hydration or continuation");
    }
    return store.countQuery(tx, spec());
  }

  /**
   * The ids of the records behind the entries in this query's range (from its {@link #seek}
   * position, if any) that are not soft-deleted, in entry order (backwards for a {@link #reverse}
   * query), without reading the records. A multi-valued index lists a record once per matching
   * entry. Reads at most {@link #maxScan}
   * entries.
   *
   * @throws InvalidArgumentException as {@link #count}
   * @throws io.tito.LimitExceededException if the range holds more than {@code maxScan} entries
   *     (context {@code limit=maxScan})
   */
  public List<Object> ids(Transaction tx) {
    if (index == null || filter != null || !hydrate.isEmpty() || continuation != null) {
      throw invalid("an index-only id scan takes no filter, hydration or continuation");
    }
    return store.idsQuery(tx, spec());
  }

  /**
   * Passes the encoded id of each record behind the entries in this query's range (from its
   * {@link #seek} position, if any) that are not soft-deleted to {@code sink}, in entry order,
   * without reading the records or decoding the ids or index values: what {@link #ids} returns,
   * for a caller that only compares ids (a count of the distinct records behind several ranges
   * needs no decoded id object per entry). Two entries name the same record if and only if their
   * encoded ids are equal byte for byte, on every engine and in every index of the model. Reads at
   * most {@link #maxScan} entries.
   *
   * @param sink called once per entry; the bytes are valid only during the call
   * @return the number of entries passed to {@code sink}
   * @throws InvalidArgumentException as {@link #count}
   * @throws io.tito.LimitExceededException if the range holds more than {@code maxScan} entries
   *     (context {@code limit=maxScan})
   */
  public long encodedIds(Transaction tx, IdBytes sink) {
    if (index == null || filter != null || !hydrate.isEmpty() || continuation != null) {
      throw invalid("an index-only id scan takes no filter, hydration or continuation");
    }
    return store.encodedIdsQuery(tx, spec(), sink);
  }

  /** Receives one encoded id from {@link #encodedIds}: {@code length} bytes of {@code bytes} from {@code offset}. */
  @FunctionalInterface
  public interface IdBytes {

    /** One encoded id; {@code bytes} may be reused or changed after the call returns. */
    void accept(byte[] bytes, int offset, int length);
  }

  /** Runs one page in its own read-only transaction. */
  public Page<T> page() {
    return store.tito().read(tx -> page(tx));
  }

  /** Runs one page inside {@code tx}. */
  public Page<T> page(Transaction tx) {
    return store.runQuery(tx, spec());
  }

  private QuerySpec<T> spec() {
    int scan = maxScan > 0 ? maxScan : Math.max(limit, 10_000);
    return new QuerySpec<>(index, nullSafe(equal), hasLower, lower, lowerInclusive,
        hasUpper, upper, upperInclusive, prefix, reverse, limit, scan, filter, includeDeleted,
        List.copyOf(hydrate), missing, continuation, seek);
  }

  private static List<Object> nullSafe(List<Object> values) {
    return Collections.unmodifiableList(new ArrayList<>(values));
  }

  private Query<T> lower(Object value, boolean inclusive) {
    if (hasLower || prefix != null) {
      throw invalid("the lower bound is already set");
    }
    hasLower = true;
    lower = typed(equal.size(), value);
    lowerInclusive = inclusive;
    return this;
  }

  private Query<T> upper(Object value, boolean inclusive) {
    if (hasUpper || prefix != null) {
      throw invalid("the upper bound is already set");
    }
    hasUpper = true;
    upper = typed(equal.size(), value);
    upperInclusive = inclusive;
    return this;
  }

  /** A value for the field at {@code position}, in that field's numeric type when it has one. */
  private Object typed(int position, Object value) {
    Index<T> ix = index == null ? null : store.model().index(index).orElse(null);
    return ix == null ? Index.element(value) : ix.toFieldType(position, value);
  }

  private boolean hasRange() {
    return hasLower || hasUpper || prefix != null;
  }

  private InvalidArgumentException invalid(String msg) {
    return new InvalidArgumentException(msg,
        Map.of("index", index == null ? "<records>" : index));
  }
}
