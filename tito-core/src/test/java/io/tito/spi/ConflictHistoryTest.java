package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ByteArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexed history answers exactly as a plain list of every commit's writes checked one by one
 * (the obvious, linear implementation), for random points and ranges over a small key space, with
 * pruning interleaved; and pruning forgets everything it may.
 */
class ConflictHistoryTest {

  private record Logged(long version, WriteSet writes) {}

  private static byte[] key(Random random) {
    int length = random.nextInt(3);
    byte[] k = new byte[length];
    for (int i = 0; i < length; i++) {
      k[i] = (byte) (random.nextInt(4) * 0x40);
    }
    return k;
  }

  private static WriteSet randomWrites(Random random) {
    WriteSet w = new WriteSet();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(3) == 0) {
        byte[] a = key(random);
        byte[] b = key(random);
        if (ByteArrays.compare(a, b) > 0) {
          byte[] t = a;
          a = b;
          b = t;
        }
        w.clearRange(a, b);
      } else {
        w.put(key(random), random.nextBoolean() ? new byte[] {1} : null);
      }
    }
    return w;
  }

  /** The linear check: does any logged commit after {@code snapshot} touch a key {@code w} writes? */
  private static boolean naiveConflict(List<Logged> log, long snapshot, WriteSet w) {
    for (Logged c : log) {
      if (c.version <= snapshot) {
        continue;
      }
      for (byte[] k : w.points().keySet()) {
        if (c.writes.points().containsKey(k) || c.writes.isCleared(k)) {
          return true;
        }
      }
      for (var r : w.clearedRangeMap().entrySet()) {
        if (!c.writes.points().subMap(r.getKey(), true, r.getValue(), false).isEmpty()) {
          return true;
        }
        for (var cr : c.writes.clearedRangeMap().entrySet()) {
          if (ByteArrays.compare(cr.getKey(), r.getValue()) < 0 && ByteArrays.compare(r.getKey(), cr.getValue()) < 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void indexedChecksMatchTheLinearCheckWhilePruning() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    ConflictHistory history = new ConflictHistory(0);
    List<Logged> log = new ArrayList<>();
    long version = 0;
    long horizon = 0;
    for (int step = 0; step < 20_000; step++) {
      WriteSet w = randomWrites(random);
      long snapshot = horizon + (version == horizon ? 0 : random.nextLong(version - horizon + 1));
      boolean expected = naiveConflict(log, snapshot, w);
      boolean actual = history.findConflict(snapshot, w) != null;
      assertThat(actual).as("conflict at step %d, snapshot %d of %d (seed %d)", step, snapshot, version, seed)
          .isEqualTo(expected);
      if (!actual) {
        version++;
        history.record(w, version);
        log.add(new Logged(version, w));
      }
      if (random.nextInt(10) == 0) {
        horizon = Math.min(version, horizon + random.nextInt(4));
        history.prune(horizon, 1 + random.nextInt(8));
        long pruned = history.prunedThrough();
        assertThat(pruned).isLessThanOrEqualTo(horizon);
        horizon = pruned; // snapshots are only ever checked at or after what was pruned
        log.removeIf(c -> c.version <= pruned);
      }
    }
    while (history.prune(version, 1)) {
      // drain
    }
    assertThat(history.size()).as("writes remembered once everything may be pruned").isZero();
    assertThat(history.indexedEntries()).as("index entries once everything may be pruned").isZero();
  }

  @Test
  void aRangeClearedAfterTheSnapshotConflictsWithAPointInsideItAmongManyOtherRanges() {
    ConflictHistory history = new ConflictHistory(0);
    for (int i = 0; i < 1000; i++) {
      WriteSet w = new WriteSet();
      w.clearRange(new byte[] {(byte) (i / 256), (byte) i}, new byte[] {(byte) (i / 256), (byte) i, 0});
      history.record(w, i + 1);
    }
    WriteSet wide = new WriteSet();
    wide.clearRange(new byte[] {10}, new byte[] {20});
    history.record(wide, 1001);
    WriteSet point = new WriteSet();
    point.put(new byte[] {15, 1}, new byte[] {1});
    assertThat(history.findConflict(1000, point)).containsExactly(15, 1);
    assertThat(history.findConflict(1001, point)).isNull();
    WriteSet outside = new WriteSet();
    outside.put(new byte[] {20}, new byte[] {1});
    assertThat(history.findConflict(1000, outside)).isNull();
  }
}
