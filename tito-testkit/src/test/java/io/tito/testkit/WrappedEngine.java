package io.tito.testkit;

import io.tito.ByteArrays;
import io.tito.ClosedException;
import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.StorageException;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.spi.WriteSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A {@link MemoryEngine} store behind a wrapper that can be closed and reopened (the store lives
 * on, so the durability contract can run here), and that can inject faults: engines with known bugs
 * the conformance kit must catch.
 */
final class WrappedEngine implements Engine {

  /** Bugs a wrapped engine can be given. */
  enum Fault {
    /** Scans order keys as signed bytes. */
    SIGNED_ORDER,
    /** Reverse scans ignore their limit. */
    REVERSE_SCAN_IGNORES_LIMIT,
    /** Scans skip a row at their begin key. */
    EXCLUSIVE_BEGIN,
    /** Empty values read as absent. */
    EMPTY_VALUE_AS_ABSENT,
    /** clearRange also clears its end key. */
    CLEAR_RANGE_INCLUSIVE_END,
    /** Writes are buffered out of sight of the transaction's own reads. */
    NO_READ_YOUR_WRITES,
    /** Gets read the latest committed data instead of the snapshot. */
    READ_COMMITTED,
    /** A conflicting commit is retried blindly with the same writes (lost updates). */
    LAST_WRITER_WINS,
    /** A conflicting commit applies its first write before failing. */
    PARTIAL_COMMIT_ON_CONFLICT,
    /** rollback and close commit instead. */
    ROLLBACK_COMMITS,
    /** Read-only transactions accept writes. */
    READ_ONLY_WRITABLE,
    /** set(k, null) clears k. */
    NULL_VALUE_CLEARS,
    /** The reported limits are one byte smaller than the enforced ones. */
    LIMITS_OFF_BY_ONE,
    /** close() does nothing. */
    CLOSE_IGNORED,
    /** Arrays returned by get are shared between calls. */
    SHARED_RETURNED_ARRAYS,
    /** Reopening loses everything. */
    FORGETS_ON_REOPEN,
    /** Scans include their end key. */
    SCAN_END_INCLUSIVE,
    /** Scans and range clears with begin > end do nothing instead of failing. */
    BEGIN_AFTER_END_ACCEPTED,
    /** Commit applies each write in its own transaction. */
    NON_ATOMIC_COMMIT,
    /** A commit conflicts whenever anything was committed since its snapshot. */
    FALSE_CONFLICTS,
    /** A commit also conflicts with the last commit before its snapshot (off by one). */
    CONFLICT_WITH_PREVIOUS_COMMIT,
    /** Transactions that end without commit keep their resources: the engine runs out. */
    LEAKS_ROLLED_BACK_TRANSACTIONS,
    /** Values are cut at their first 0x00 byte (C strings). */
    VALUES_CUT_AT_ZERO_BYTE,
    /** get of an absent key returns the value of the first key it is a prefix of (LIKE 'key%'). */
    PREFIX_MATCH_GET,
    /** The engine keeps its own metadata in the user's key space. */
    METADATA_IN_KEY_SPACE,
    /** The engine declares SERIALIZABLE but gives snapshot isolation. */
    CLAIMS_SERIALIZABLE,
    /** The engine has a blank name. */
    BLANK_NAME,
    /** listen returns null. */
    LISTEN_RETURNS_NULL,
    /** getAll answers in key order instead of the order asked (a naive sorted multi-get). */
    GET_ALL_IN_KEY_ORDER,
    /** The change feed returns the net changes of an interval as one commit (issue 15). */
    NET_CHANGE_FEED
  }

  private final MemoryEngine store;
  private final Set<Fault> faults;
  private volatile boolean closed;
  private final Semaphore openTransactions = new Semaphore(64);
  private long commits;
  private Set<ByteBuffer> lastCommitKeys = Set.of();

  WrappedEngine(MemoryEngine store, Set<Fault> faults) {
    this.store = store;
    this.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
    if (has(Fault.METADATA_IN_KEY_SPACE)) {
      try (EngineTransaction tx = store.begin(false)) {
        tx.set(Kit.k("\u0001meta/format"), Kit.k("1"));
        tx.commit();
      }
    }
  }

  /** What {@link EngineConformanceTest#reopenEngine} returns for this engine. */
  WrappedEngine reopened() {
    return new WrappedEngine(has(Fault.FORGETS_ON_REOPEN) ? new MemoryEngine() : store, faults);
  }

  boolean has(Fault f) {
    return faults.contains(f);
  }

  void ensureOpen() {
    if (closed && !has(Fault.CLOSE_IGNORED)) {
      throw new ClosedException("wrapped engine is closed", Map.of());
    }
  }

  @Override
  public String name() {
    return has(Fault.BLANK_NAME) ? " " : "wrapped-memory";
  }

  @Override
  public Set<Capability> capabilities() {
    return has(Fault.CLAIMS_SERIALIZABLE) ? Set.of(Capability.DURABLE, Capability.SERIALIZABLE)
        : has(Fault.NET_CHANGE_FEED) ? Set.of(Capability.DURABLE, Capability.CHANGE_FEED)
        : Set.of(Capability.DURABLE);
  }

  @Override
  public io.tito.spi.ChangeFeed changeFeed() {
    if (!has(Fault.NET_CHANGE_FEED)) {
      return Engine.super.changeFeed();
    }
    return new NetChangeFeed(store.changeFeed());
  }

  @Override
  public EngineLimits limits() {
    EngineLimits l = store.limits();
    return has(Fault.LIMITS_OFF_BY_ONE)
        ? new EngineLimits(l.maxKeySize() - 1, l.maxValueSize() - 1, l.maxTransactionSize() - 1)
        : l;
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    ensureOpen();
    if (!openTransactions.tryAcquire()) {
      throw new StorageException("too many open transactions", Map.of(), null);
    }
    long start;
    synchronized (this) {
      start = commits;
    }
    return new Tx(store.begin(readOnly && !has(Fault.READ_ONLY_WRITABLE)), readOnly, start);
  }

  @Override
  public AutoCloseable listen(String channel, io.tito.spi.ChangeListener listener) {
    return has(Fault.LISTEN_RETURNS_NULL) ? null : Engine.super.listen(channel, listener);
  }

  @Override
  public void close() {
    closed = true;
  }

  private final class Tx implements EngineTransaction {
    private final EngineTransaction tx;
    private final boolean readOnly;
    private final List<Consumer<EngineTransaction>> ops = new ArrayList<>();
    private final WriteSet mirror = new WriteSet();
    private final Map<ByteBuffer, byte[]> returned = new HashMap<>();
    private final long start;
    private boolean ended;

    Tx(EngineTransaction tx, boolean readOnly, long start) {
      this.tx = tx;
      this.readOnly = readOnly;
      this.start = start;
    }

    private void end(boolean committed) {
      if (!ended) {
        ended = true;
        if (committed || !has(Fault.LEAKS_ROLLED_BACK_TRANSACTIONS)) {
          openTransactions.release();
        }
      }
    }

    @Override
    public List<byte[]> getAll(List<byte[]> keys) {
      ensureOpen();
      if (keys == null || keys.stream().anyMatch(java.util.Objects::isNull)) {
        throw new InvalidArgumentException("keys must not be null", Map.of());
      }
      List<byte[]> order = new ArrayList<>(keys);
      if (has(Fault.GET_ALL_IN_KEY_ORDER)) {
        order.sort(ByteArrays::compare);
      }
      List<byte[]> out = new ArrayList<>(order.size());
      for (byte[] key : order) {
        out.add(get(key));
      }
      return out;
    }

    @Override
    public byte[] get(byte[] key) {
      ensureOpen();
      byte[] v;
      if (has(Fault.READ_COMMITTED) && key != null && !mirror.lookup(key).known()) {
        try (EngineTransaction fresh = store.begin(true)) {
          v = fresh.get(key);
        }
      } else {
        v = tx.get(key);
      }
      if (v == null && has(Fault.PREFIX_MATCH_GET)) {
        try (KeyValueCursor c = tx.scan(key, Kit.ALL_END, new ScanOptions(false, 1))) {
          if (c.hasNext()) {
            KeyValue kv = c.next();
            v = ByteArrays.startsWith(kv.key(), key) ? kv.value() : null;
          }
        }
      }
      if (has(Fault.EMPTY_VALUE_AS_ABSENT) && v != null && v.length == 0) {
        return null;
      }
      if (has(Fault.SHARED_RETURNED_ARRAYS) && v != null) {
        byte[] shared = v;
        return returned.computeIfAbsent(ByteBuffer.wrap(key.clone()), k -> shared);
      }
      return v;
    }

    @Override
    public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
      ensureOpen();
      if (has(Fault.BEGIN_AFTER_END_ACCEPTED) && ByteArrays.compare(begin, end) > 0) {
        return listCursor(List.of());
      }
      if (has(Fault.SCAN_END_INCLUSIVE)) {
        end = ByteArrays.keyAfter(end);
      }
      ScanOptions o = options;
      if (has(Fault.REVERSE_SCAN_IGNORES_LIMIT) && o.reverse()) {
        o = ScanOptions.REVERSE;
      }
      KeyValueCursor raw;
      if (has(Fault.SIGNED_ORDER)) {
        List<KeyValue> rows = tx.scan(begin, end, ScanOptions.FORWARD).toList();
        rows = new ArrayList<>(rows);
        rows.sort((a, b) -> Arrays.compare(a.key(), b.key()) * (options.reverse() ? -1 : 1));
        if (o.limit() > 0 && rows.size() > o.limit()) {
          rows = rows.subList(0, o.limit());
        }
        raw = listCursor(rows);
      } else {
        raw = tx.scan(begin, end, o);
      }
      return new Cursor(raw, begin);
    }

    private void write(Consumer<EngineTransaction> op, Consumer<WriteSet> mirrorOp) {
      ensureOpen();
      if (has(Fault.NO_READ_YOUR_WRITES)) {
        if (readOnly && !has(Fault.READ_ONLY_WRITABLE)) {
          op.accept(tx);
        }
        ops.add(op);
        return;
      }
      op.accept(tx);
      ops.add(op);
      mirrorOp.accept(mirror);
    }

    @Override
    public void set(byte[] key, byte[] value) {
      if (value == null && has(Fault.NULL_VALUE_CLEARS)) {
        clear(key);
        return;
      }
      byte[] k = c(key);
      byte[] v = c(value);
      if (v != null && has(Fault.VALUES_CUT_AT_ZERO_BYTE)) {
        for (int i = 0; i < v.length; i++) {
          if (v[i] == 0) {
            v = Arrays.copyOf(v, i);
            break;
          }
        }
      }
      byte[] stored = v;
      write(t -> t.set(c(k), c(stored)), m -> m.put(c(k), c(stored)));
    }

    @Override
    public void clear(byte[] key) {
      byte[] k = c(key);
      write(t -> t.clear(c(k)), m -> m.put(c(k), null));
    }

    @Override
    public void clearRange(byte[] begin, byte[] end) {
      if (has(Fault.BEGIN_AFTER_END_ACCEPTED) && begin != null && end != null && ByteArrays.compare(begin, end) > 0) {
        return;
      }
      byte[] e = has(Fault.CLEAR_RANGE_INCLUSIVE_END) && end != null ? ByteArrays.keyAfter(end) : end;
      byte[] b = c(begin);
      write(t -> t.clearRange(c(b), c(e)), m -> m.clearRange(c(b), c(e)));
    }

    @Override
    public boolean isReadOnly() {
      return readOnly;
    }

    @Override
    public void commit() {
      ensureOpen();
      try {
        commitFaulty();
        end(true);
      } catch (RuntimeException e) {
        end(false);
        throw e;
      }
    }

    private void commitFaulty() {
      if (has(Fault.NO_READ_YOUR_WRITES)) {
        ops.forEach(op -> op.accept(tx));
      }
      Set<ByteBuffer> keys = new HashSet<>();
      mirror.points().keySet().forEach(k -> keys.add(ByteBuffer.wrap(k)));
      synchronized (WrappedEngine.this) {
        if (!ops.isEmpty() && has(Fault.FALSE_CONFLICTS) && commits != start) {
          tx.rollback();
          throw new ConflictException("false conflict", Map.of());
        }
        if (has(Fault.CONFLICT_WITH_PREVIOUS_COMMIT) && commits == start
            && lastCommitKeys.stream().anyMatch(keys::contains)) {
          tx.rollback();
          throw new ConflictException("conflict with the previous commit", Map.of());
        }
      }
      if (has(Fault.NON_ATOMIC_COMMIT) && !ops.isEmpty()) {
        tx.rollback();
        for (Consumer<EngineTransaction> op : ops) {
          try (EngineTransaction one = store.begin(false)) {
            op.accept(one);
            one.commit();
          }
          // Half-applied for a millisecond, not a yield: on a loaded machine the readers could
          // otherwise miss every window of the run (a CI run did once).
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        committed(keys);
        return;
      }
      try {
        tx.commit();
        committed(keys);
      } catch (ConflictException e) {
        if (has(Fault.LAST_WRITER_WINS)) {
          while (true) {
            try (EngineTransaction again = store.begin(false)) {
              ops.forEach(op -> op.accept(again));
              again.commit();
              committed(keys);
              return;
            } catch (ConflictException retry) {
              // try again
            }
          }
        }
        if (has(Fault.PARTIAL_COMMIT_ON_CONFLICT) && !ops.isEmpty()) {
          try (EngineTransaction partial = store.begin(false)) {
            ops.get(0).accept(partial);
            partial.commit();
          }
        }
        throw e;
      }
    }

    private void committed(Set<ByteBuffer> keys) {
      if (!ops.isEmpty()) {
        synchronized (WrappedEngine.this) {
          commits++;
          lastCommitKeys = keys;
        }
      }
    }

    @Override
    public void rollback() {
      if (has(Fault.ROLLBACK_COMMITS)) {
        try {
          tx.commit();
        } catch (RuntimeException e) {
          // already ended
        }
      }
      tx.rollback();
      end(false);
    }

    @Override
    public void close() {
      rollback();
    }

    /** Checks the wrapper on every call and applies the scan faults. */
    private final class Cursor implements KeyValueCursor {
      private final KeyValueCursor raw;
      private final byte[] begin;
      private KeyValue next;

      Cursor(KeyValueCursor raw, byte[] begin) {
        this.raw = raw;
        this.begin = begin;
      }

      @Override
      public boolean hasNext() {
        ensureOpen();
        while (next == null && raw.hasNext()) {
          KeyValue kv = raw.next();
          if (has(Fault.EXCLUSIVE_BEGIN) && Arrays.equals(kv.key(), begin)) {
            continue;
          }
          if (has(Fault.EMPTY_VALUE_AS_ABSENT) && kv.value().length == 0) {
            continue;
          }
          next = kv;
        }
        return next != null;
      }

      @Override
      public KeyValue next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        KeyValue kv = next;
        next = null;
        return kv;
      }

      @Override
      public void close() {
        raw.close();
      }
    }
  }

  private static byte[] c(byte[] b) {
    return b == null ? null : b.clone();
  }

  private static KeyValueCursor listCursor(List<KeyValue> rows) {
    Iterator<KeyValue> it = rows.iterator();
    return new KeyValueCursor() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
