package io.tito.spi;

import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction of an {@link Engine}. Not thread-safe: use it from one thread at a time.
 *
 * <p>Arrays passed in are not retained after the call returns unless stated (implementations copy
 * them); arrays returned belong to the caller. Once committed, rolled back or closed, every call
 * except {@link #close()} and {@link #rollback()} throws {@link io.tito.ClosedException}.
 */
public interface EngineTransaction extends AutoCloseable {

  /** The value at {@code key}, or {@code null} if absent, including this transaction's writes. */
  byte[] get(byte[] key);

  /**
   * Exactly {@link #get}, for a key that is usually absent (see {@link
   * io.tito.Transaction#getExpectingAbsent}): an engine may check a bloom filter before its point
   * read, but answers and records the read as {@link #get} does. The default calls {@link #get}.
   */
  default byte[] getExpectingAbsent(byte[] key) {
    return get(key);
  }

  /**
   * {@link io.tito.Transaction#expect}: the transaction commits only if {@link #get} of {@code key}
   * at this point answers {@code expected}; an engine may defer the read into its commit. The
   * default compares {@link #get} now.
   *
   * @throws io.tito.ConflictException if the value differs (here, or from {@link #commit})
   */
  default void expect(byte[] key, byte[] expected) {
    Expectations.compare(key, get(key), expected);
  }

  /**
   * The values at {@code keys}, in their order ({@code null} where absent), exactly as one {@link
   * #get} per key would answer, including this transaction's writes. The default calls {@link
   * #get} per key; engines override it to answer many keys per round trip or native call.
   */
  default List<byte[]> getAll(List<byte[]> keys) {
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      out.add(get(key));
    }
    return out;
  }

  /**
   * Exactly {@link #getAll}, for keys of which the first {@code usuallyAbsent} are usually absent
   * (see {@link io.tito.Transaction#getAllExpectingAbsent}). The default calls {@link #getAll}.
   */
  default List<byte[]> getAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    return getAll(keys);
  }

  /**
   * Streams the keys in {@code [begin, end)} in the requested order, including this transaction's
   * own pending sets and clears. The cursor must be closed; it is invalid after the transaction ends.
   *
   * @throws io.tito.InvalidArgumentException if {@code begin > end}
   */
  KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options);

  /**
   * For each read, in order, the rows {@link #scan} of its range and options would return,
   * including this transaction's own writes (see {@link io.tito.Transaction#scanAll}; the caller
   * checked the argument with {@link io.tito.RangeRead#checkAll}). The default scans one read
   * after the other; server engines override it to send all of them in one round trip.
   */
  default List<List<io.tito.KeyValue>> scanAll(List<io.tito.RangeRead> reads) {
    List<List<io.tito.KeyValue>> out = new ArrayList<>(reads.size());
    for (io.tito.RangeRead r : reads) {
      out.add(scan(r.range().begin(), r.range().end(), r.options()).toList());
    }
    return out;
  }

  /**
   * Writes {@code value} at {@code key}.
   *
   * @throws io.tito.LimitExceededException if the key, value or transaction would exceed the
   *     engine's limits; nothing is written then
   * @throws io.tito.InvalidArgumentException if the transaction is read-only
   */
  void set(byte[] key, byte[] value);

  /** Removes {@code key} if present. Same errors as {@link #set}. */
  void clear(byte[] key);

  /** Removes every key in {@code [begin, end)}. Same errors as {@link #set}. */
  void clearRange(byte[] begin, byte[] end);

  /** {@link #notifyOnCommit(String, String)} without a payload. */
  default void notifyOnCommit(String channel) {
    notifyOnCommit(channel, null);
  }

  /**
   * Asks the engine to notify listeners of {@code channel} in other processes once this
   * transaction commits (see {@link Engine#listen}), passing {@code payload} (say what changed,
   * so that listeners wake only what it concerns). A transaction may send several payloads on one
   * channel; an engine may merge them into one notification without payload (listeners then get
   * null), and does so for a payload longer than {@value #MAX_PAYLOAD} characters. Does nothing on
   * engines without {@link Capability#CHANGE_NOTIFICATIONS}. Sent only if the commit succeeds.
   *
   * @param payload text, or null for none
   */
  default void notifyOnCommit(String channel, String payload) {}

  /** The longest payload that {@link #notifyOnCommit(String, String)} is sure to carry. */
  int MAX_PAYLOAD = 1000;

  /**
   * Opens a savepoint: the writes made after it can be undone by
   * {@link #rollbackToSavepoint}, leaving earlier writes and the transaction usable. Savepoints
   * nest; each is ended by exactly one of {@link #rollbackToSavepoint} or
   * {@link #releaseSavepoint}, innermost first. Engines built on {@link BufferedTransaction} have
   * them; the default throws {@link io.tito.InvalidArgumentException} (the data layer needs them
   * to make each model operation all-or-nothing).
   */
  default Object savepoint() {
    throw new io.tito.InvalidArgumentException("engine transaction has no savepoints",
        java.util.Map.of("transaction", getClass().getName()));
  }

  /** Undoes the writes made since {@code savepoint} and ends it. Does nothing once ended. */
  default void rollbackToSavepoint(Object savepoint) {
    throw new io.tito.InvalidArgumentException("engine transaction has no savepoints",
        java.util.Map.of("transaction", getClass().getName()));
  }

  /** Ends {@code savepoint}, keeping its writes. Does nothing once the transaction ended. */
  default void releaseSavepoint(Object savepoint) {
    throw new io.tito.InvalidArgumentException("engine transaction has no savepoints",
        java.util.Map.of("transaction", getClass().getName()));
  }

  /**
   * Writes {@code value} at the key {@code prefix + stamp}, where the {@link io.tito.Stamp} (this
   * transaction's stamp version, see {@link #commitVersion}, and the write's order among its
   * stamped writes, from 0) is filled in at commit. Needs {@link Capability#COMMIT_ORDERED_KEYS}. Read-your-writes: a stamped key is
   * not visible to this transaction's own reads (its key is unknown until commit); a savepoint
   * rolled back undoes it like any write, and its order number is not reused.
   *
   * @return the write's order within this transaction
   * @throws io.tito.InvalidArgumentException if the engine lacks the capability, the transaction
   *     is read-only, or it already wrote {@code Stamp.MAX_ORDER + 1} stamped keys
   * @throws io.tito.LimitExceededException as {@link #set}, counting the stamp's bytes in the key
   */
  default int setStamped(byte[] prefix, byte[] value) {
    throw new io.tito.InvalidArgumentException("engine has no commit-ordered keys (capability "
        + "COMMIT_ORDERED_KEYS)", java.util.Map.of("transaction", getClass().getName()));
  }

  /**
   * {@link #setStamped(byte[], byte[])} taking {@code orders} consecutive orders (see {@link
   * io.tito.Transaction#setStamped(byte[], byte[], int)}): the key's stamp has the first, and the
   * next stamped write's order follows the last. Engines with {@link
   * Capability#COMMIT_ORDERED_KEYS} implement it (the conformance kit checks it); the default
   * takes one order only.
   *
   * @return the first of the write's orders
   * @throws io.tito.InvalidArgumentException as {@link #setStamped(byte[], byte[])}, or if {@code
   *     orders} is below 1 or the orders would pass {@code Stamp.MAX_ORDER}
   */
  default int setStamped(byte[] prefix, byte[] value, int orders) {
    if (orders == 1) {
      return setStamped(prefix, value);
    }
    throw new io.tito.InvalidArgumentException("engine reserves no orders for stamped keys",
        java.util.Map.of("transaction", getClass().getName(), "orders", orders));
  }

  /**
   * The version that stamped this transaction's {@linkplain #setStamped stamped keys} (its stamp
   * version: on engines that serialise commits their commit version; an engine committing in
   * parallel may use another number, such as its server transaction id, as long as stamps meet
   * {@link Capability#COMMIT_ORDERED_KEYS}).
   *
   * @throws io.tito.InvalidArgumentException unless the transaction committed with at least one
   *     stamped key
   */
  default long commitVersion() {
    throw new io.tito.InvalidArgumentException("engine has no commit-ordered keys (capability "
        + "COMMIT_ORDERED_KEYS)", java.util.Map.of("transaction", getClass().getName()));
  }

  /**
   * The stamp of the stamped write of {@code order} (see {@link
   * io.tito.Transaction#committedStamp}): {@code new Stamp(commitVersion(), order)} unless the
   * engine committed this transaction as part of a larger commit and shifted its orders ({@link
   * WriteSet#materialiseStamps(long, int)}). Forwarding transactions forward it.
   *
   * @throws io.tito.InvalidArgumentException as {@link #commitVersion}, or if no stamped write
   *     took {@code order}
   */
  default io.tito.Stamp committedStamp(int order) {
    return new io.tito.Stamp(commitVersion(), order);
  }

  /**
   * The stamp horizon of this transaction's snapshot, an exclusive bound (see {@link
   * io.tito.Transaction#stampHorizon}): every {@linkplain #setStamped stamped key} below it that
   * will ever exist is in this snapshot, and a later snapshot's horizon is never lower. The
   * default, {@link io.tito.Stamp#MAX}, is right for engines whose commit versions are in
   * visibility order (a snapshot holding version {@code V} holds every commit below {@code V});
   * an engine that commits stamped transactions in parallel must override it. Forwarding
   * transactions forward it.
   */
  default io.tito.Stamp stampHorizon() {
    return io.tito.Stamp.MAX;
  }

  /**
   * Writes {@code value} at {@code prefix + Tuple.of(position).pack()}, where {@code position} is
   * the next position of the counter at {@code counterKey}, assigned at commit (see {@link
   * Capability#COMMIT_SEQUENCED_APPENDS}): the counter's latest committed value (a tuple of one
   * long, {@code Tuple.of(next).pack()}; absent means 0), or this transaction's own write of it if
   * it made one, plus the number of earlier appends of this transaction to that counter. The
   * commit writes the counter as the position after its last append. Several appends to one
   * counter take consecutive positions in the order they were made. Read-your-writes: neither
   * the appended key nor the counter's new value is visible to this transaction's own reads; a
   * savepoint rolled back undoes the append. Learn the first position after commit with {@link
   * #sequenceStart}.
   *
   * @return how many appends to this counter the transaction made before this one (the offset of
   *     this append's position from {@link #sequenceStart})
   * @throws io.tito.InvalidArgumentException if the engine lacks the capability or the transaction
   *     is read-only
   * @throws io.tito.LimitExceededException as {@link #set}
   */
  default int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
    throw new io.tito.InvalidArgumentException("engine has no sequenced appends (capability "
        + "COMMIT_SEQUENCED_APPENDS)", java.util.Map.of("transaction", getClass().getName()));
  }

  /**
   * The position the commit assigned to this transaction's first {@linkplain #appendSequenced
   * sequenced append} to {@code counterKey}.
   *
   * @throws io.tito.InvalidArgumentException unless the transaction committed at least one
   *     sequenced append to {@code counterKey}
   */
  default long sequenceStart(byte[] counterKey) {
    throw new io.tito.InvalidArgumentException("engine has no sequenced appends (capability "
        + "COMMIT_SEQUENCED_APPENDS)", java.util.Map.of("transaction", getClass().getName()));
  }

  /**
   * Lets this transaction's commit return before its changes are durable, on engines with {@link
   * Capability#RELAXED_DURABILITY} (see there for what still holds); other engines ignore it and
   * commit as durably as always. Call it before {@link #commit}; it applies to this transaction
   * only.
   */
  default void relaxDurability() {}

  /** Whether this transaction rejects writes. */
  boolean isReadOnly();

  /**
   * Applies every write atomically.
   *
   * @throws io.tito.ConflictException if a concurrent transaction won a written key; nothing applied
   * @throws io.tito.CommitUnknownException if the outcome cannot be known
   * @throws io.tito.StorageException if the engine failed and nothing was applied
   */
  void commit();

  /** Discards every write. Idempotent; harmless after commit. */
  void rollback();

  /** Rolls back if still open. Idempotent. */
  @Override
  void close();
}
