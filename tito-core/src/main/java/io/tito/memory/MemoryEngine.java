package io.tito.memory;

import io.tito.ByteArrays;
import io.tito.ClosedException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.spi.BufferedTransaction;
import io.tito.spi.Capability;
import io.tito.spi.CommitSequencer;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.spi.WriteSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An in-memory engine with multi-version snapshots: the same contract as the durable engines
 * (snapshot isolation, first committer wins, read-your-writes), nothing kept after close. Made for
 * unit tests, users' included. Thread-safe.
 */
public final class MemoryEngine implements Engine {

  private static final int COMPACT_EVERY = 4096;

  private final ConcurrentSkipListMap<byte[], VersionChain> data =
      new ConcurrentSkipListMap<>(ByteArrays.COMPARATOR);
  private final CommitSequencer sequencer = new CommitSequencer(0);
  private final EngineLimits limits;
  private volatile boolean closed;
  private int commitsSinceCompaction;
  /** Keys whose chains hold old versions or a deletion; only they need trimming. Commit lock. */
  private List<byte[]> untrimmed = new ArrayList<>();

  /** An engine with {@link EngineLimits#DEFAULT}. */
  public MemoryEngine() {
    this(EngineLimits.DEFAULT);
  }

  /** An engine with the given limits. */
  public MemoryEngine(EngineLimits limits) {
    this.limits = limits;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public EngineLimits limits() {
    return limits;
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    ensureOpen();
    return new Tx(readOnly, sequencer.openSnapshot());
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

  private void apply(WriteSet writes, long version) {
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
    long oldest = sequencer.oldestActiveSnapshot();
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

  private final class Tx extends BufferedTransaction {
    private final long snapshot;

    Tx(boolean readOnly, long snapshot) {
      super(readOnly, limits);
      this.snapshot = snapshot;
    }

    @Override
    protected void checkUsable() {
      ensureOpen();
    }

    @Override
    protected byte[] snapshotGet(byte[] key) {
      ensureOpen();
      VersionChain chain = data.get(key);
      byte[] v = chain == null ? null : chain.valueAt(snapshot);
      return v == null ? null : v.clone();
    }

    @Override
    protected KeyValueCursor snapshotScan(byte[] begin, byte[] end, boolean reverse, int limitHint) {
      ensureOpen();
      NavigableMap<byte[], VersionChain> range = data.subMap(begin, true, end, false);
      Iterator<Map.Entry<byte[], VersionChain>> it =
          (reverse ? range.descendingMap() : range).entrySet().iterator();
      return new SnapshotCursor(it, snapshot);
    }

    @Override
    protected void commitWrites(WriteSet writes) {
      ensureOpen();
      sequencer.commit(snapshot, writes, MemoryEngine.this::apply);
    }

    @Override
    protected void release() {
      sequencer.closeSnapshot(snapshot);
    }
  }

  private final class SnapshotCursor implements KeyValueCursor {
    private final Iterator<Map.Entry<byte[], VersionChain>> it;
    private final long snapshot;
    private KeyValue next;
    private boolean closed;

    SnapshotCursor(Iterator<Map.Entry<byte[], VersionChain>> it, long snapshot) {
      this.it = it;
      this.snapshot = snapshot;
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
