package io.tito.spi;

import io.tito.ByteArrays;
import io.tito.ClosedException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.LimitExceededException;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A base for engine transactions that buffer writes in memory until commit: it owns the
 * transaction's state, the size limits, the pending {@link WriteSet} and read-your-writes merging.
 * An engine supplies snapshot reads, the commit of a whole write set, and the release of the
 * snapshot.
 *
 * <p>Not thread-safe, like every transaction.
 */
public abstract class BufferedTransaction implements EngineTransaction {

  private enum State { OPEN, COMMITTED, ROLLED_BACK, FAILED }

  private final boolean readOnly;
  private final EngineLimits limits;
  private final WriteSet writes = new WriteSet();
  private final List<KeyValueCursor> openCursors = new ArrayList<>();
  private State state = State.OPEN;

  protected BufferedTransaction(boolean readOnly, EngineLimits limits) {
    this.readOnly = readOnly;
    this.limits = limits;
  }

  /** Reads {@code key} from the snapshot only; {@code null} if absent. */
  protected abstract byte[] snapshotGet(byte[] key);

  /**
   * Reads {@code key}, which is usually absent, from the snapshot only; {@code null} if absent.
   * Must answer exactly as {@link #snapshotGet}; engines with a bloom filter override it to
   * consult the filter first. The default calls {@link #snapshotGet}.
   */
  protected byte[] snapshotGetExpectingAbsent(byte[] key) {
    return snapshotGet(key);
  }

  /**
   * Reads {@code keys} from the snapshot only, in their order, {@code null} where absent. The
   * default calls {@link #snapshotGet} per key; engines override it to batch. The list is never
   * empty and its arrays are the caller's (not retained).
   */
  protected List<byte[]> snapshotGetAll(List<byte[]> keys) {
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      out.add(snapshotGet(key));
    }
    return out;
  }

  /**
   * {@link #snapshotGetAll}, for keys of which the first {@code usuallyAbsent} are usually absent:
   * must answer exactly as {@link #snapshotGetAll}. The default calls it.
   */
  protected List<byte[]> snapshotGetAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    return snapshotGetAll(keys);
  }

  /**
   * Streams {@code [begin, end)} of the snapshot only, in the given direction. The limit is a
   * hint for batch sizes ({@code 0} if unknown): the cursor must still go on past it when asked.
   */
  protected abstract KeyValueCursor snapshotScan(byte[] begin, byte[] end, boolean reverse, int limitHint);

  /**
   * Applies a non-empty write set atomically, or throws without applying anything (conflict,
   * storage error), or throws {@link io.tito.CommitUnknownException}.
   */
  protected abstract void commitWrites(WriteSet writes);

  /** Releases the snapshot and every engine resource; called exactly once when the transaction ends. */
  protected abstract void release();

  /**
   * Called at the start of every call on an open transaction, including those answered from the
   * write buffer alone; an engine throws {@link ClosedException} here once it was closed. Default:
   * nothing.
   */
  protected void checkUsable() {}

  @Override
  public final byte[] get(byte[] key) {
    ensureOpen();
    requireKey(key);
    WriteSet.Lookup own = writes.lookup(key);
    if (own.known()) {
      return own.absent() ? null : own.value().clone();
    }
    return snapshotGet(key);
  }

  @Override
  public final byte[] getExpectingAbsent(byte[] key) {
    ensureOpen();
    requireKey(key);
    WriteSet.Lookup own = writes.lookup(key);
    if (own.known()) {
      return own.absent() ? null : own.value().clone();
    }
    return snapshotGetExpectingAbsent(key);
  }

  /**
   * Compares at once against this transaction's own write of {@code key} if it has one; else,
   * if the engine {@linkplain #defersExpectations() defers them}, leaves the read to the commit;
   * else reads the snapshot now.
   */
  @Override
  public final void expect(byte[] key, byte[] expected) {
    ensureOpen();
    requireKey(key);
    WriteSet.Lookup own = writes.lookup(key);
    if (own.known()) {
      Expectations.compare(key, own.absent() ? null : own.value(), expected);
    } else if (!readOnly && defersExpectations()) {
      writes.expect(key.clone(), expected == null ? null : expected.clone());
    } else {
      Expectations.compare(key, snapshotGet(key), expected);
    }
  }

  /**
   * Whether {@link #expect} leaves its snapshot read to the commit (write transactions only).
   * Before {@link #commitWrites} the deferred reads are made with {@link #snapshotGetAll} unless
   * {@link #checksExpectations} says the engine checks them inside that commit. Default: false.
   */
  protected boolean defersExpectations() {
    return false;
  }

  /**
   * Whether {@link #commitWrites} checks {@code writes}' {@linkplain WriteSet#expectations()
   * expectations} against the snapshot itself, failing with {@link Expectations#mismatch} and
   * applying nothing. Default: false.
   */
  protected boolean checksExpectations(WriteSet writes) {
    return false;
  }

  @Override
  public final List<byte[]> getAll(List<byte[]> keys) {
    return getAllExpectingAbsent(keys, 0);
  }

  @Override
  public final List<byte[]> getAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    ensureOpen();
    if (keys == null) {
      throw new InvalidArgumentException("keys must not be null", Map.of());
    }
    int n = keys.size();
    byte[][] out = new byte[n][];
    int[] missingAt = new int[n];
    int missing = 0;
    for (int i = 0; i < n; i++) {
      byte[] key = keys.get(i);
      requireKey(key);
      WriteSet.Lookup own = writes.lookup(key);
      if (own.known()) {
        out[i] = own.absent() ? null : own.value().clone();
      } else {
        missingAt[missing++] = i;
      }
    }
    if (missing > 0) {
      byte[][] ask = new byte[missing][];
      int askAbsent = 0;
      for (int j = 0; j < missing; j++) {
        ask[j] = keys.get(missingAt[j]);
        if (missingAt[j] < usuallyAbsent) {
          askAbsent++;
        }
      }
      List<byte[]> found = askAbsent == 0 ? snapshotGetAll(Arrays.asList(ask))
          : snapshotGetAllExpectingAbsent(Arrays.asList(ask), askAbsent);
      for (int j = 0; j < missing; j++) {
        out[missingAt[j]] = found.get(j);
      }
    }
    return new ArrayList<>(Arrays.asList(out));
  }

  @Override
  public final KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
    ensureOpen();
    requireKey(begin);
    requireKey(end);
    if (ByteArrays.compare(begin, end) > 0) {
      throw new InvalidArgumentException("scan begin is after its end",
          Map.of("begin", ByteArrays.printable(begin), "end", ByteArrays.printable(end)));
    }
    int hint = options.limit();
    if (hint > 0 && !writes.isEmpty()) {
      hint = 0;
    }
    KeyValueCursor raw = snapshotScan(begin.clone(), end.clone(), options.reverse(), hint);
    KeyValueCursor[] self = new KeyValueCursor[1];
    KeyValueCursor merged = new MergingCursor(raw, writes, begin, end, options.reverse(),
        options.limit(), () -> openCursors.remove(self[0]));
    self[0] = merged;
    openCursors.add(merged);
    return merged;
  }

  /**
   * Without writes of its own, the reads go to {@link #snapshotScanAll} together; with some, one
   * merged {@link #scan} after the other (rare: the callers that batch reads do so before writing).
   */
  @Override
  public final List<List<KeyValue>> scanAll(List<RangeRead> reads) {
    ensureOpen();
    RangeRead.checkAll(reads);
    if (!writes.isEmpty()) {
      return EngineTransaction.super.scanAll(reads);
    }
    return snapshotScanAll(reads);
  }

  /**
   * The snapshot's rows of each read (no writes of this transaction to merge). The default scans
   * one read after the other with {@link #snapshotScan}; server engines send them together.
   */
  protected List<List<KeyValue>> snapshotScanAll(List<RangeRead> reads) {
    List<List<KeyValue>> out = new ArrayList<>(reads.size());
    for (RangeRead r : reads) {
      int limit = r.options().limit();
      List<KeyValue> rows = new ArrayList<>();
      try (KeyValueCursor c = snapshotScan(r.range().begin(), r.range().end(),
          r.options().reverse(), limit)) {
        while (rows.size() < limit && c.hasNext()) {
          rows.add(c.next());
        }
      }
      out.add(rows);
    }
    return out;
  }

  @Override
  public final void set(byte[] key, byte[] value) {
    checkWritable(key);
    if (value == null) {
      throw new InvalidArgumentException("value must not be null; use clear to remove a key", Map.of());
    }
    if (value.length > limits.maxValueSize()) {
      throw new LimitExceededException("value is larger than the engine accepts",
          Map.of("valueSize", value.length, "maxValueSize", limits.maxValueSize(),
              "key", ByteArrays.printable(key)));
    }
    checkTransactionSize(key.length + value.length);
    writes.put(key.clone(), value.clone());
  }

  @Override
  public final void clear(byte[] key) {
    checkWritable(key);
    checkTransactionSize(key.length);
    writes.put(key.clone(), null);
  }

  @Override
  public final void clearRange(byte[] begin, byte[] end) {
    checkWritable(begin);
    requireKey(end);
    checkKeySize(end);
    if (ByteArrays.compare(begin, end) > 0) {
      throw new InvalidArgumentException("clearRange begin is after its end",
          Map.of("begin", ByteArrays.printable(begin), "end", ByteArrays.printable(end)));
    }
    checkTransactionSize(begin.length + end.length);
    writes.clearRange(begin.clone(), end.clone());
  }

  /**
   * Whether the engine materialises stamped writes at commit ({@link
   * Capability#COMMIT_ORDERED_KEYS}: it calls {@link WriteSet#materialiseStamps} with its commit
   * version before applying, as {@link CommitSequencer} does). Default: false, and {@link
   * #setStamped} is refused.
   */
  protected boolean commitOrderedKeys() {
    return false;
  }

  @Override
  public final int setStamped(byte[] prefix, byte[] value) {
    return setStamped(prefix, value, 1);
  }

  @Override
  public final int setStamped(byte[] prefix, byte[] value, int orders) {
    if (!commitOrderedKeys()) {
      return EngineTransaction.super.setStamped(prefix, value); // refuses
    }
    checkWritable(prefix);
    if (value == null) {
      throw new InvalidArgumentException("value must not be null", Map.of());
    }
    if (prefix.length + io.tito.Stamp.LENGTH > limits.maxKeySize()) {
      throw new LimitExceededException("key is larger than the engine accepts",
          Map.of("keySize", prefix.length + io.tito.Stamp.LENGTH, "maxKeySize", limits.maxKeySize()));
    }
    if (value.length > limits.maxValueSize()) {
      throw new LimitExceededException("value is larger than the engine accepts",
          Map.of("valueSize", value.length, "maxValueSize", limits.maxValueSize()));
    }
    checkTransactionSize(prefix.length + io.tito.Stamp.LENGTH + value.length);
    return writes.putStamped(prefix.clone(), value.clone(), orders);
  }

  /** Checks the transaction is open, then asks {@link #snapshotStampHorizon}. */
  @Override
  public final io.tito.Stamp stampHorizon() {
    ensureOpen();
    return snapshotStampHorizon();
  }

  /**
   * The stamp horizon of the snapshot (see {@link EngineTransaction#stampHorizon}). The default,
   * {@link io.tito.Stamp#MAX}, is right for engines whose commit versions are in visibility order.
   */
  protected io.tito.Stamp snapshotStampHorizon() {
    return io.tito.Stamp.MAX;
  }

  @Override
  public final long commitVersion() {
    if (state != State.COMMITTED || writes.stampVersion() < 0) {
      throw new InvalidArgumentException("no commit version: the transaction did not commit stamped keys",
          Map.of("state", state));
    }
    return writes.stampVersion();
  }

  @Override
  public final io.tito.Stamp committedStamp(int order) {
    if (state != State.COMMITTED || writes.stampVersion() < 0) {
      throw new InvalidArgumentException("no commit version: the transaction did not commit stamped keys",
          Map.of("state", state));
    }
    return writes.stampOf(order);
  }

  /**
   * Whether the engine materialises sequenced appends at commit ({@link
   * Capability#COMMIT_SEQUENCED_APPENDS}: it calls {@link WriteSet#materialiseSequences} after its
   * conflict checks, holding what orders the counters' commits, as {@link CommitSequencer} does
   * when given a reader of latest values). Default: false, and {@link #appendSequenced} is refused.
   */
  protected boolean sequencedAppends() {
    return false;
  }

  @Override
  public final int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
    if (!sequencedAppends()) {
      return EngineTransaction.super.appendSequenced(counterKey, prefix, value);
    }
    checkWritable(counterKey);
    requireKey(prefix);
    if (value == null) {
      throw new InvalidArgumentException("value must not be null", Map.of());
    }
    if (prefix.length + 9 > limits.maxKeySize()) {
      throw new LimitExceededException("key is larger than the engine accepts",
          Map.of("keySize", prefix.length + 9, "maxKeySize", limits.maxKeySize()));
    }
    if (value.length > limits.maxValueSize()) {
      throw new LimitExceededException("value is larger than the engine accepts",
          Map.of("valueSize", value.length, "maxValueSize", limits.maxValueSize()));
    }
    checkTransactionSize(counterKey.length + prefix.length + 18L + value.length);
    return writes.putSequenced(counterKey.clone(), prefix.clone(), value.clone());
  }

  @Override
  public final long sequenceStart(byte[] counterKey) {
    long start = state == State.COMMITTED && counterKey != null ? writes.sequenceStart(counterKey) : -1;
    if (start < 0) {
      throw new InvalidArgumentException("no sequence start: the transaction did not commit "
          + "sequenced appends to this counter", Map.of("state", state));
    }
    return start;
  }

  @Override
  public final Object savepoint() {
    ensureOpen();
    return writes.savepoint();
  }

  @Override
  public final void rollbackToSavepoint(Object savepoint) {
    if (state == State.OPEN) {
      writes.rollbackTo((WriteSet.Savepoint) savepoint);
    }
  }

  @Override
  public final void releaseSavepoint(Object savepoint) {
    if (state == State.OPEN) {
      writes.release((WriteSet.Savepoint) savepoint);
    }
  }

  @Override
  public final boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public final void commit() {
    ensureOpen();
    closeCursors();
    try {
      if (writes.hasExpectations() && (writes.isEmpty() || !checksExpectations(writes))) {
        List<WriteSet.Expectation> expected = writes.expectations();
        List<byte[]> keys = new ArrayList<>(expected.size());
        for (WriteSet.Expectation e : expected) {
          keys.add(e.key());
        }
        Expectations.compareAll(expected, snapshotGetAll(keys));
      }
      if (!readOnly && !writes.isEmpty()) {
        commitWrites(writes);
      }
      state = State.COMMITTED;
    } catch (RuntimeException | Error e) {
      state = State.FAILED;
      throw e;
    } finally {
      release();
    }
  }

  @Override
  public final void rollback() {
    if (state == State.OPEN) {
      state = State.ROLLED_BACK;
      try {
        closeCursors();
      } finally {
        release();
      }
    }
  }

  @Override
  public final void close() {
    rollback();
  }

  /** Whether commit, rollback or close has not happened yet. */
  protected final boolean isOpen() {
    return state == State.OPEN;
  }

  /** The limits this transaction enforces. */
  protected final EngineLimits limits() {
    return limits;
  }

  private void closeCursors() {
    for (KeyValueCursor c : List.copyOf(openCursors)) {
      c.close();
    }
    openCursors.clear();
  }

  private void ensureOpen() {
    if (state != State.OPEN) {
      throw new ClosedException("transaction is no longer open", Map.of("state", state));
    }
    checkUsable();
  }

  private void checkWritable(byte[] key) {
    ensureOpen();
    if (readOnly) {
      throw new InvalidArgumentException("transaction is read-only", Map.of());
    }
    requireKey(key);
    checkKeySize(key);
  }

  private void checkKeySize(byte[] key) {
    if (key.length > limits.maxKeySize()) {
      throw new LimitExceededException("key is larger than the engine accepts",
          Map.of("keySize", key.length, "maxKeySize", limits.maxKeySize()));
    }
  }

  private void checkTransactionSize(long added) {
    if (writes.bytes() + added > limits.maxTransactionSize()) {
      throw new LimitExceededException("transaction would be larger than the engine accepts",
          Map.of("transactionSize", writes.bytes() + added,
              "maxTransactionSize", limits.maxTransactionSize()));
    }
  }

  private static void requireKey(byte[] key) {
    if (key == null) {
      throw new InvalidArgumentException("key must not be null", Map.of());
    }
  }
}
