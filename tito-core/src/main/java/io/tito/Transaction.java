package io.tito;

import java.util.List;
import java.util.function.Supplier;

/**
 * One transaction as user code sees it inside {@link Tito#transaction} or {@link Tito#read}: a
 * consistent snapshot of the store plus this transaction's own writes.
 *
 * <p>Keys are raw bytes in unsigned order; build them with {@link io.tito.tuple.Subspace} and
 * {@link io.tito.tuple.Tuple} so that their order is the logical order of their elements.
 *
 * <p>Not thread-safe: use it only from the thread running the transaction function, and not after
 * the function returned.
 */
public interface Transaction {

  /**
   * The value at {@code key}, or {@code null} if absent.
   *
   * @throws InvalidArgumentException if {@code key} is null
   */
  byte[] get(byte[] key);

  /**
   * Exactly {@link #get}: the value at {@code key}, or {@code null} if absent, in this snapshot
   * with this transaction's writes, and with the same effect on conflict checks. It only tells
   * the engine that the key is usually absent (a new record's id, a unique index value about to
   * be claimed), so that an engine with a bloom filter can answer "absent" from it without a full
   * point read. The default calls {@link #get}.
   *
   * @throws InvalidArgumentException if {@code key} is null
   */
  default byte[] getExpectingAbsent(byte[] key) {
    return get(key);
  }

  /**
   * The values at {@code keys} in one snapshot, in the order of {@code keys} ({@code null} for an
   * absent key; a repeated key is answered each time), as {@link #get} would answer each one.
   * Engines answer many keys in fewer round trips or native calls than one {@code get} per key.
   * The returned list is new and modifiable.
   *
   * @throws InvalidArgumentException if {@code keys} or any key is null
   */
  List<byte[]> getAll(List<byte[]> keys);

  /**
   * Exactly {@link #getAll}, with the same effect on conflict checks; it only tells the engine
   * that the first {@code usuallyAbsent} keys are usually absent (see {@link
   * #getExpectingAbsent}). The default calls {@link #getAll}.
   *
   * @throws InvalidArgumentException if {@code keys} or any key is null
   */
  default List<byte[]> getAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    return getAll(keys);
  }

  /** Streams every key in {@code range} in ascending order. The cursor must be closed. */
  default KeyValueCursor scan(KeyRange range) {
    return scan(range, ScanOptions.FORWARD);
  }

  /**
   * Streams keys in {@code range} in the direction and up to the limit of {@code options}. Rows
   * are fetched as the cursor advances. The cursor must be closed, and is invalid once the
   * transaction ends.
   */
  KeyValueCursor scan(KeyRange range, ScanOptions options);

  /**
   * Several bounded reads at once: for each of {@code reads}, in order, the list of rows {@link
   * #scan(KeyRange, ScanOptions)} with the same range and options would return (this snapshot,
   * this transaction's writes included). A server engine sends them together, in one round trip,
   * where one {@code scan} each would take one round trip each: a caller that knows its next few
   * reads (a point read being a {@link RangeRead#point}) asks for them in one call. The returned
   * lists are new and modifiable. The default reads one {@code scan} after the other.
   *
   * @throws InvalidArgumentException if {@code reads} or one of them is null, or if there are more
   *     than {@value RangeRead#MAX_READS} reads
   */
  default List<List<KeyValue>> scanAll(List<RangeRead> reads) {
    RangeRead.checkAll(reads);
    List<List<KeyValue>> out = new java.util.ArrayList<>(reads.size());
    for (RangeRead r : reads) {
      out.add(scan(r.range(), r.options()).toList());
    }
    return out;
  }

  /**
   * Writes {@code value} at {@code key}.
   *
   * @throws LimitExceededException if a size limit would be exceeded (nothing is written)
   * @throws InvalidArgumentException if the transaction is read-only or an argument is null
   */
  void set(byte[] key, byte[] value);

  /** Removes {@code key} if present. Same errors as {@link #set}. */
  void clear(byte[] key);

  /** Removes every key in {@code range}. Same errors as {@link #set}. */
  void clearRange(KeyRange range);

  /**
   * Runs {@code body} as one all-or-nothing step of this transaction: if it throws, every write
   * it made is undone (earlier writes stay), the after-commit actions it registered are dropped,
   * and the exception is rethrown; the transaction stays usable and may still commit. Reads are
   * not undone. Steps nest. Used by the data layer so that a failed model operation leaves
   * nothing behind in the caller's transaction.
   *
   * @return what {@code body} returned
   * @throws InvalidArgumentException if {@code body} is null or the engine has no savepoints
   */
  <R> R savepoint(Supplier<R> body);

  /**
   * Writes {@code value} at {@code prefix + stamp}, a commit-ordered {@link Stamp} the engine
   * fills in at commit (engines with {@link io.tito.spi.Capability#COMMIT_ORDERED_KEYS}). Keys
   * written this way by all transactions are final below a snapshot's {@link #stampHorizon()}: a
   * reader that scans them from its last position up to the horizon (exclusive) never skips a late
   * committer. Such writes never conflict with each other. The key is not visible to this transaction's own
   * reads. Learn the stamp after commit with {@link #committedStamp(int)} in an {@link
   * #afterCommit} action: {@code tx.committedStamp(order)}.
   *
   * @return the write's order within this transaction (the stamp's {@code order})
   * @throws InvalidArgumentException if the engine lacks the capability, an argument is null or the
   *     transaction is read-only
   * @throws LimitExceededException as {@link #set}, counting the stamp's {@value Stamp#LENGTH} bytes
   */
  default int setStamped(byte[] prefix, byte[] value) {
    throw new InvalidArgumentException("this transaction has no commit-ordered keys", java.util.Map.of());
  }

  /**
   * {@link #setStamped(byte[], byte[])} that takes {@code orders} consecutive orders: the key's
   * stamp has the first, and the next stamped write of this transaction gets the one after the
   * last. So a key can stand for {@code orders} positions ({@code order}, {@code order + 1}, ...)
   * that no other stamped key of any transaction takes. {@code orders == 1} is {@link
   * #setStamped(byte[], byte[])}.
   *
   * @return the first of the write's orders within this transaction
   * @throws InvalidArgumentException as {@link #setStamped(byte[], byte[])}, or if {@code orders}
   *     is below 1 or the transaction's orders would pass {@link Stamp#MAX_ORDER}
   */
  default int setStamped(byte[] prefix, byte[] value, int orders) {
    if (orders == 1) {
      return setStamped(prefix, value);
    }
    throw new InvalidArgumentException("this transaction has no commit-ordered keys", java.util.Map.of());
  }

  /**
   * The commit version of this transaction's {@linkplain #setStamped stamped keys}; callable once
   * it committed, that is in an {@link #afterCommit} action.
   *
   * @throws InvalidArgumentException if it has not committed stamped keys
   */
  default long commitVersion() {
    throw new InvalidArgumentException("this transaction has no commit-ordered keys", java.util.Map.of());
  }

  /**
   * The stamp the {@linkplain #setStamped stamped key} of {@code order} (as {@code setStamped}
   * returned it) got at commit; callable once the transaction committed, that is in an {@link
   * #afterCommit} action. Its version is {@link #commitVersion()}. Its order is {@code order}
   * unless the engine committed this transaction together with others as one commit (PostgreSQL
   * may, for transactions that read nothing): then every order of the transaction is shifted by
   * the same amount, so the differences between its stamps stay as their orders' differences,
   * and its stamps sort after the other members' it follows. Never compute a stamp as {@code new
   * Stamp(commitVersion(), order)}.
   *
   * @throws InvalidArgumentException if it has not committed stamped keys, or no stamped write
   *     took {@code order}
   */
  default Stamp committedStamp(int order) {
    return new Stamp(commitVersion(), order);
  }

  /**
   * The stamp horizon of this transaction's snapshot (an exclusive bound): the {@linkplain
   * #setStamped stamped keys} below it that this snapshot holds are every stamped key below it
   * that will ever exist, so a reader of stamped keys reads up to it, never past it, to never
   * skip a late committer. It never goes backwards: a later snapshot's horizon is at or above it
   * (an engine may bound read-only snapshots tighter than read-write ones: this holds between
   * snapshots of one kind, and from a read-write snapshot to a later read-only one). Stamped keys
   * at or above it may be visible while some below them are not yet; a committed stamp passes the
   * horizon of later snapshots once the commits that could still land below it have ended.
   * Engines whose stamps are in visibility order return {@link Stamp#MAX}; an engine committing
   * stamped transactions in parallel returns a lower bound (PostgreSQL: from the store's commits
   * in flight, or the snapshot's lowest running transaction id; see the engine's documentation).
   * May cost a round trip the first time it is asked; ask it before the transaction's first read
   * where the engine can then bound it tighter.
   */
  default Stamp stampHorizon() {
    return Stamp.MAX;
  }

  /**
   * Writes {@code value} at {@code prefix + Tuple.of(position).pack()}, {@code position} being the
   * next position of the counter at {@code counterKey}, which the engine assigns at commit (engines
   * with {@link io.tito.spi.Capability#COMMIT_SEQUENCED_APPENDS}; see {@link
   * io.tito.spi.EngineTransaction#appendSequenced} for the rules). Concurrent appenders to one
   * counter never conflict with each other; positions per counter are dense and in commit order.
   * The counter holds {@code Tuple.of(next).pack()}; a transaction that reads and writes it itself
   * conflicts with concurrent appends as usual. Neither the key nor the counter's new value is
   * visible to this transaction's reads. Learn the position after commit with {@link
   * #sequenceStart} in an {@link #afterCommit} action: {@code tx.sequenceStart(counterKey) + offset}.
   *
   * @return this append's offset among the transaction's appends to {@code counterKey}
   * @throws InvalidArgumentException if the engine lacks the capability, an argument is null or
   *     the transaction is read-only
   * @throws LimitExceededException as {@link #set}
   */
  default int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
    throw new InvalidArgumentException("this transaction has no sequenced appends", java.util.Map.of());
  }

  /**
   * The position the commit gave this transaction's first {@linkplain #appendSequenced sequenced
   * append} to {@code counterKey}; callable once it committed, that is in an {@link #afterCommit}
   * action.
   *
   * @throws InvalidArgumentException if it has not committed appends to that counter
   */
  default long sequenceStart(byte[] counterKey) {
    throw new InvalidArgumentException("this transaction has no sequenced appends", java.util.Map.of());
  }

  /**
   * Reads {@code key} as {@link #get} would at this point and requires {@code expected}: the
   * transaction commits only if it would read {@code expected} ({@code null}: absent), otherwise
   * this call or the commit throws {@link ConflictException} (retriable at once) and nothing is
   * applied. It is a read whose answer the caller already knows (from a cache, or an earlier
   * transaction), so an engine may check it inside its commit instead of reading now: on
   * PostgreSQL a transaction whose only read is an expectation commits in one round trip. Like
   * any read it is judged against this transaction's snapshot and its own earlier writes, and,
   * like reads under snapshot isolation, it is protected from concurrent commits only if the
   * transaction also writes the key. Not undone by {@link #savepoint} (reads are not undone). The
   * default compares {@link #get} now.
   *
   * @throws InvalidArgumentException if {@code key} is null
   * @throws ConflictException if the value differs (here, or from the commit)
   */
  default void expect(byte[] key, byte[] expected) {
    io.tito.spi.Expectations.compare(key, get(key), expected);
  }

  /**
   * Whether this attempt may replace a read by a guess: an {@link #expect expectation} of the
   * read's usual answer (a new record's id absent), which the engine judges inside its commit
   * instead of reading now. True only in the first attempt of a write transaction run by {@link
   * Tito#transaction} or {@link Tito#inTransaction} whose retry policy allows another attempt, on
   * an engine with {@link io.tito.spi.Capability#DEFERRED_EXPECTATIONS}. A wrong guess fails the
   * commit with a retriable conflict; the next attempt does not guess, so it reads, and the call
   * that meets the real answer reports it (an insert of a taken id throws {@code
   * AlreadyExistsException} there). In transactions a caller begins and commits itself, and in
   * later attempts, it is false: every call reports its own errors. Tito's layers use it; an
   * application rarely needs to.
   */
  default boolean mayGuessReads() {
    return false;
  }

  /** Whether this transaction rejects writes ({@link Tito#read}). */
  boolean isReadOnly();

  /**
   * Runs {@code action} after this transaction commits successfully, on the committing thread,
   * in registration order. Not run if the transaction rolls back or is retried (a retried attempt
   * registers its actions again). An action that throws is logged and does not affect the commit
   * or the other actions.
   */
  void afterCommit(Runnable action);

  /**
   * Announces {@code payload} on {@code channel} to the change listeners of other processes
   * sharing the store, if and when this transaction commits (PostgreSQL NOTIFY); does nothing on
   * engines without {@link io.tito.spi.Capability#CHANGE_NOTIFICATIONS}. Pub/sub uses it to wake
   * the workers of a partition in other processes; modules built on Tito use it the same way.
   * See {@link io.tito.spi.EngineTransaction#notifyOnCommit(String, String)} for payload limits.
   *
   * @param payload text, or null for none
   */
  void notifyOnCommit(String channel, String payload);
}
