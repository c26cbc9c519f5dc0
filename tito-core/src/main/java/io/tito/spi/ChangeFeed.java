package io.tito.spi;

import io.tito.KeyRange;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The committed changes of a store in commit order, with their commit versions and times: what
 * an incremental backup reads. Offered by engines that declare {@link Capability#CHANGE_FEED}
 * (see {@link Engine#changeFeed()}).
 *
 * <p><b>Versions.</b> Every commit that writes gets a version, strictly increasing in commit
 * order and never reused, also across restarts for durable engines. A {@linkplain #openSnapshot
 * versioned snapshot} holds exactly the commits up to its version.
 *
 * <p><b>Retention holds.</b> An engine keeps the changes after a version only while a named hold
 * at or below that version exists: the engine's own cleanup (tombstone collection, log trimming)
 * never discards a change a hold still covers. Holds survive restarts on durable engines. A
 * backup places its hold before taking its snapshot and moves it forward once the changes are
 * stored; a hold left behind keeps changes forever, so release holds no longer used.
 *
 * <p><b>Granularity.</b> An engine with {@link #everyCommit()} returns each commit separately, so
 * any version in between can be reproduced; the conformance kit demands it of every engine that
 * declares the capability (all of them do). The alternative below is described because backups
 * taken from JDBC stores of earlier releases were made that way. An engine without it (a store that keeps only the
 * latest write per key, stamped with its version) returns the net effect of the requested
 * interval: one or more {@link Commit}s of one version, cleared ranges in the first, which is the
 * version of the snapshot the feed read (at least the {@code through} asked for: commits made
 * meanwhile are included, since only the latest write of each key is kept). The state at that
 * version is exact; states in between are not available.
 *
 * <p>Thread-safe.
 */
public interface ChangeFeed {

  /**
   * Checks a hold name: letters, digits, '-', '_' and '.', 1 to 100 characters.
   *
   * @throws io.tito.InvalidArgumentException if it is not one
   */
  static void checkHoldName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new io.tito.InvalidArgumentException("hold name must be 1 to 100 letters, digits, '-', '_' or '.'",
          Map.of("name", String.valueOf(name)));
    }
  }

  /** The version of the latest commit (0 for a store that never committed a write). */
  long currentVersion();

  /**
   * Opens a read-only transaction on one consistent snapshot and tells its version: the snapshot
   * holds every commit with a version up to it and nothing later. The caller closes it.
   */
  VersionedSnapshot openSnapshot();

  /**
   * Places the hold {@code name} if it does not exist yet, and returns its version: every change
   * committed after it is kept until the hold moves or is released. A new hold's version is that
   * of the latest applied commit, which on an engine whose readers see a commit only once it is
   * durable may be briefly ahead of {@link #currentVersion()} and {@link #openSnapshot()}.
   *
   * @param name letters, digits, '-', '_' and '.', 1 to 100 characters
   * @throws io.tito.InvalidArgumentException if the name is not valid
   */
  long placeHold(String name);

  /**
   * Moves the hold {@code name} forward to {@code version}: changes up to it may now be
   * discarded (if no other hold covers them).
   *
   * @throws io.tito.NotFoundException if there is no such hold
   * @throws io.tito.InvalidArgumentException if {@code version} is below the hold's version or
   *     above {@link #currentVersion()}
   */
  void moveHold(String name, long version);

  /** Releases the hold {@code name}; does nothing if there is none. */
  void releaseHold(String name);

  /** The version of the hold {@code name}, or empty if there is none. */
  OptionalLong holdVersion(String name);

  /** Every hold and its version. */
  Map<String, Long> holds();

  /** Whether every commit is returned separately (see the class comment on granularity). */
  boolean everyCommit();

  /**
   * Streams the commits with versions in {@code (after, through]} in commit order (a feed without
   * {@link #everyCommit()}: the net changes after {@code after}, see the class comment). The
   * cursor must be closed.
   *
   * @throws io.tito.InvalidArgumentException if no hold at or below {@code after} exists (the
   *     changes may have been discarded), if {@code after > through}, or if {@code through} is
   *     above {@link #currentVersion()}
   */
  ChangeCursor changesAfter(long after, long through);

  /** A read-only transaction and the commit version its snapshot holds. */
  record VersionedSnapshot(EngineTransaction transaction, long version, long timeMillis)
      implements AutoCloseable {
    @Override
    public void close() {
      transaction.close();
    }
  }

  /** A stream of commits; closing it frees its resources. */
  interface ChangeCursor extends Iterator<Commit>, AutoCloseable {
    @Override
    void close();
  }

  /**
   * One commit: the ranges it cleared (applied first), then its point writes (a {@code null}
   * value is a point clear), as {@link WriteSet} normalises them.
   *
   * @param version the commit version
   * @param timeMillis the commit's wall-clock time (epoch milliseconds) as the engine saw it;
   *     0 if the engine does not know it
   */
  record Commit(long version, long timeMillis, List<KeyRange> clearedRanges, List<Write> writes) {
    public Commit {
      clearedRanges = List.copyOf(clearedRanges);
      writes = List.copyOf(writes);
    }

    /** The commit of {@code writes} at {@code version}, copying the arrays. */
    public static Commit of(long version, long timeMillis, WriteSet writes) {
      List<Write> points = writes.points().entrySet().stream()
          .map(e -> new Write(e.getKey(), e.getValue())).toList();
      return new Commit(version, timeMillis, writes.clearedRanges(), points);
    }
  }

  /** A point write: {@code value} is {@code null} for a clear. Arrays are copied. */
  record Write(byte[] key, byte[] value) {
    public Write {
      key = key.clone();
      value = value == null ? null : value.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] value() {
      return value == null ? null : value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Write w && Arrays.equals(key, w.key) && Arrays.equals(value, w.value);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return io.tito.ByteArrays.printable(key) + "=" + (value == null ? "<clear>" : io.tito.ByteArrays.printable(value));
    }
  }
}
