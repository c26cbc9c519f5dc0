package io.tito.memory;

import io.tito.ByteArrays;
import io.tito.ClosedException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.spi.BufferedTransaction;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.CommitSequencer;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.spi.SnapshotRegistry;
import io.tito.spi.WriteSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * An in-memory engine with multi-version snapshots: the same contract as the durable engines
 * (snapshot isolation, first committer wins, read-your-writes), nothing kept after close. Made for
 * unit tests, users' included. Thread-safe.
 *
 * <p><b>Maximum transaction age.</b> An open transaction keeps the versions its snapshot reads
 * (and, if it writes, the conflict history after it) in memory. So that a forgotten or very long
 * transaction cannot grow the heap without bound, a transaction older than
 * {@link #maxTransactionAge()} (default {@link SnapshotRegistry#DEFAULT_MAX_TRANSACTION_AGE},
 * 5 minutes) stops holding anything and fails at its next call, commit included, with a retriable
 * {@link io.tito.ConflictException} ("transaction is older than the engine's maxTransactionAge").
 * Read long ranges in several transactions, resuming from the last key. Read-only transactions
 * hold versions but no conflict history.
 */
public final class MemoryEngine implements Engine {

  private static final int COMPACT_EVERY = 4096;

  private final ConcurrentSkipListMap<byte[], VersionChain> data =
      new ConcurrentSkipListMap<>(ByteArrays.COMPARATOR);
  private final CommitSequencer sequencer;
  /** Every open transaction's snapshot: versions older than the oldest may be dropped. */
  private final SnapshotRegistry snapshots;
  private final EngineLimits limits;
  private final MemoryChangeLog changeLog = new MemoryChangeLog(System::currentTimeMillis);
  private final ChangeFeed feed = new Feed();
  private volatile boolean closed;
  private int commitsSinceCompaction;
  /** Keys whose chains hold old versions or a deletion; only they need trimming. Commit lock. */
  private List<byte[]> untrimmed = new ArrayList<>();

  /** An engine with {@link EngineLimits#DEFAULT}. */
  public MemoryEngine() {
    this(EngineLimits.DEFAULT);
  }

  /** An engine with the given limits and the default maximum transaction age (5 minutes). */
  public MemoryEngine(EngineLimits limits) {
    this(limits, SnapshotRegistry.DEFAULT_MAX_TRANSACTION_AGE);
  }

  /**
   * An engine with the given limits and maximum transaction age.
   *
   * @throws io.tito.InvalidArgumentException naming the setting if {@code limits} is null or
   *     {@code maxTransactionAge} is null, not positive or longer than a day
   */
  public MemoryEngine(EngineLimits limits, Duration maxTransactionAge) {
    this(limits, maxTransactionAge, System::nanoTime);
  }

  /** For tests: transaction ages are read from {@code nanoClock}. */
  MemoryEngine(EngineLimits limits, Duration maxTransactionAge, LongSupplier nanoClock) {
    if (limits == null) {
      throw new io.tito.InvalidArgumentException("setting limits must not be null",
          Map.of("setting", "limits"));
    }
    this.limits = limits;
    this.snapshots = new SnapshotRegistry("memory", maxTransactionAge, nanoClock);
    this.sequencer = new CommitSequencer(0, "memory", maxTransactionAge, nanoClock);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.COMMIT_ORDERED_KEYS, Capability.CHANGE_FEED,
        Capability.COMMIT_SEQUENCED_APPENDS);
  }

  /**
   * The change feed: every commit separately, kept in memory while a retention hold covers it
   * (nothing is kept while there is no hold).
   */
  @Override
  public ChangeFeed changeFeed() {
    ensureOpen();
    return feed;
  }

  @Override
  public EngineLimits limits() {
    return limits;
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    ensureOpen();
    while (true) {
      SnapshotRegistry.Registration writer = readOnly ? null : sequencer.begin();
      long version = writer == null ? sequencer.visibleVersion() : writer.version();
      SnapshotRegistry.Registration snapshot = snapshots.register(version);
      if (snapshot != null) {
        return new Tx(readOnly, snapshot, writer);
      }
      if (writer != null) {
        sequencer.end(writer);
      }
    }
  }

  /** Raises the stamp floor (see {@link Engine#raiseStampFloor}); kept until the engine is closed. */
  @Override
  public void raiseStampFloor(long version) {
    ensureOpen();
    sequencer.raiseStampFloor(version, base -> {});
  }

  /** Transactions older than this fail at their next call; see the class comment. */
  public Duration maxTransactionAge() {
    return snapshots.maxTransactionAge();
  }

  /**
   * Number of writes remembered for conflict checks: those committed after the snapshot of the
   * oldest open read-write transaction younger than the maximum age (for tests and metrics).
   */
  public long conflictHistorySize() {
    return sequencer.trackedWrites();
  }

  /**
   * Fault injection for tests: runs {@code hook} inside every commit, holding the commit lock,
   * after the commit's writes are applied and before other transactions can see them
   * ({@code null}: none).
   */
  public void onCommitApplied(Runnable hook) {
    sequencer.onCommitApplied(hook);
  }

  @Override
  public void close() {
    closed = true;
    data.clear();
  }

  /** Number of distinct keys held, counting versions kept for open snapshots once (for tests). */
  public int keyCount() {
    return data.size();
  }

  private void ensureOpen() {
    if (closed) {
      throw new ClosedException("engine is closed", Map.of("engine", "memory"));
    }
  }

  /** The latest applied values of {@code keys}; called under the sequencer's commit lock. */
  private java.util.List<byte[]> latest(java.util.List<byte[]> keys) {
    java.util.List<byte[]> out = new java.util.ArrayList<>(keys.size());
    for (byte[] key : keys) {
      VersionChain chain = data.get(key);
      out.add(chain == null ? null : chain.valueAt(Long.MAX_VALUE));
    }
    return out;
  }

  private void apply(WriteSet writes, long version) {
    changeLog.record(writes, version);
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      for (Map.Entry<byte[], VersionChain> e : data.subMap(r.getKey(), true, r.getValue(), false).entrySet()) {
        data.put(e.getKey(), e.getValue().with(version, null));
        untrimmed.add(e.getKey());
      }
    }
    for (Map.Entry<byte[], byte[]> w : writes.points().entrySet()) {
      VersionChain chain = data.get(w.getKey());
      if (chain == null) {
        if (w.getValue() != null) {
          data.put(w.getKey(), VersionChain.of(version, w.getValue()));
        }
      } else {
        data.put(w.getKey(), chain.with(version, w.getValue()));
        untrimmed.add(w.getKey());
      }
    }
    if (++commitsSinceCompaction >= COMPACT_EVERY) {
      compact();
    }
  }

  /**
   * Drops versions no open snapshot can read, visiting only keys written over or deleted since
   * they were last trimmed; runs inside the commit lock.
   */
  private void compact() {
    commitsSinceCompaction = 0;
    long oldest = snapshots.advanceFloor(sequencer.visibleVersion());
    TreeSet<byte[]> stillOld = new TreeSet<>(ByteArrays.COMPARATOR);
    for (byte[] key : untrimmed) {
      VersionChain chain = data.get(key);
      if (chain == null) {
        continue;
      }
      VersionChain trimmed = chain.trimBefore(oldest);
      if (trimmed == null) {
        data.remove(key, chain);
      } else {
        if (trimmed != chain) {
          data.replace(key, chain, trimmed);
        }
        if (trimmed.needsTrimming()) {
          stillOld.add(key);
        }
      }
    }
    untrimmed = new ArrayList<>(stillOld);
  }

  private final class Feed implements ChangeFeed {
    @Override
    public long currentVersion() {
      ensureOpen();
      return sequencer.visibleVersion();
    }

    @Override
    public VersionedSnapshot openSnapshot() {
      ensureOpen();
      while (true) {
        long version = sequencer.visibleVersion();
        long time = System.currentTimeMillis();
        SnapshotRegistry.Registration snapshot = snapshots.register(version);
        if (snapshot != null) {
          return new VersionedSnapshot(new Tx(true, snapshot, null), version, time);
        }
      }
    }

    @Override
    public long placeHold(String name) {
      ensureOpen();
      ChangeFeed.checkHoldName(name);
      return sequencer.whileNoCommitApplies(() -> changeLog.placeHold(name, sequencer.visibleVersion()));
    }

    @Override
    public void moveHold(String name, long version) {
      ensureOpen();
      changeLog.moveHold(name, version, sequencer.visibleVersion());
    }

    @Override
    public void releaseHold(String name) {
      ensureOpen();
      changeLog.releaseHold(name);
    }

    @Override
    public OptionalLong holdVersion(String name) {
      ensureOpen();
      return changeLog.holdVersion(name);
    }

    @Override
    public Map<String, Long> holds() {
      ensureOpen();
      return changeLog.holds();
    }

    @Override
    public boolean everyCommit() {
      return true;
    }

    @Override
    public ChangeCursor changesAfter(long after, long through) {
      ensureOpen();
      return changeLog.changesAfter(after, through, sequencer.visibleVersion());
    }
  }

  private final class Tx extends BufferedTransaction {
    private final SnapshotRegistry.Registration registration;
    private final SnapshotRegistry.Registration writer;
    private final long snapshot;

    Tx(boolean readOnly, SnapshotRegistry.Registration registration, SnapshotRegistry.Registration writer) {
      super(readOnly, limits);
      this.registration = registration;
      this.writer = writer;
      this.snapshot = registration.version();
    }

    @Override
    protected void checkUsable() {
      ensureOpen();
      snapshots.checkAge(registration);
    }

    @Override
    protected boolean commitOrderedKeys() {
      return true;
    }

    @Override
    protected boolean sequencedAppends() {
      return true;
    }

    @Override
    protected byte[] snapshotGet(byte[] key) {
      ensureOpen();
      VersionChain chain = data.get(key);
      byte[] v = chain == null ? null : chain.valueAt(snapshot);
      // Versions are dropped only after the registration expired: then this read may be wrong.
      snapshots.checkAge(registration);
      return v == null ? null : v.clone();
    }

    @Override
    protected KeyValueCursor snapshotScan(byte[] begin, byte[] end, boolean reverse, int limitHint) {
      ensureOpen();
      NavigableMap<byte[], VersionChain> range = data.subMap(begin, true, end, false);
      Iterator<Map.Entry<byte[], VersionChain>> it =
          (reverse ? range.descendingMap() : range).entrySet().iterator();
      return new SnapshotCursor(it, registration);
    }

    @Override
    protected void commitWrites(WriteSet writes) {
      ensureOpen();
      sequencer.commit(writer, writes, MemoryEngine.this::latest, MemoryEngine.this::apply);
    }

    @Override
    protected void release() {
      snapshots.release(registration);
      if (writer != null) {
        sequencer.end(writer);
      }
    }
  }

  private final class SnapshotCursor implements KeyValueCursor {
    private final Iterator<Map.Entry<byte[], VersionChain>> it;
    private final SnapshotRegistry.Registration registration;
    private final long snapshot;
    private KeyValue next;
    private boolean closed;

    SnapshotCursor(Iterator<Map.Entry<byte[], VersionChain>> it, SnapshotRegistry.Registration registration) {
      this.it = it;
      this.registration = registration;
      this.snapshot = registration.version();
    }

    @Override
    public boolean hasNext() {
      if (closed) {
        return false;
      }
      ensureOpen();
      while (next == null && it.hasNext()) {
        Map.Entry<byte[], VersionChain> e = it.next();
        byte[] v = e.getValue().valueAt(snapshot);
        if (v != null) {
          next = new KeyValue(e.getKey().clone(), v.clone());
        }
      }
      snapshots.checkAge(registration);
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
      closed = true;
    }
  }
}
