package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Capability#COMMIT_ORDERED_KEYS}: stamped keys below a snapshot's {@linkplain
 * EngineTransaction#stampHorizon stamp horizon} are final (a reader that reads only below it never
 * later finds a new stamped key below what it read, even from a commit that was in flight inside
 * its commit), the horizon never goes backwards and passes committed stamps, a commit that starts
 * after another returned stamps above it, stamped writes never conflict, they are invisible to
 * their own transaction's reads, and a rollback leaves nothing. An engine without the capability
 * must refuse them.
 */
public interface CommitOrderedKeysContract extends EngineFixture {

  /** Prefix of every stamped key of these tests. */
  byte[] STAMPED = k("\u0002stamped/");

  private void requireCapability() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.COMMIT_ORDERED_KEYS),
        "engine '" + engine().name() + "' does not declare COMMIT_ORDERED_KEYS");
  }

  private static List<KeyValue> stampedKeys(EngineTransaction tx) {
    byte[] end = Arrays.copyOf(STAMPED, STAMPED.length);
    end[end.length - 1]++;
    return scan(tx, STAMPED, end, ScanOptions.FORWARD);
  }

  /** The stamped keys of {@code tx}'s snapshot below its stamp horizon (those that are final). */
  private static List<KeyValue> finalStampedKeys(EngineTransaction tx) {
    Stamp horizon = tx.stampHorizon();
    byte[] end = Arrays.copyOf(STAMPED, STAMPED.length);
    end[end.length - 1]++;
    if (!horizon.equals(Stamp.MAX)) {
      byte[] clip = horizon.appendTo(STAMPED);
      end = Arrays.compareUnsigned(clip, end) < 0 ? clip : end;
    }
    return scan(tx, STAMPED, end, ScanOptions.FORWARD);
  }

  /** A snapshot's horizon and the final stamped keys below it. */
  record FinalRead(Stamp horizon, List<KeyValue> keys) {}

  private FinalRead finalRead(boolean readOnly) {
    try (EngineTransaction tx = engine().begin(readOnly)) {
      Stamp horizon = tx.stampHorizon();
      return new FinalRead(horizon, finalStampedKeys(tx));
    }
  }

  /**
   * Reads until the horizon is above {@code stamp} (a committed stamp passes every later
   * snapshot's horizon eventually; on a shared server, other clients' open transactions may hold
   * it back for a while), checking on the way that the horizon never goes backwards (from {@code
   * previousHorizon}, of a snapshot of the same kind or a read-write one).
   */
  private FinalRead settledAbove(Stamp stamp, Stamp previousHorizon, boolean readOnly) {
    long deadline = System.nanoTime() + EngineFaultContract.WAIT.toNanos();
    Stamp last = previousHorizon;
    while (true) {
      FinalRead r = finalRead(readOnly);
      assertThat(r.horizon()).as("the stamp horizon never goes backwards").isGreaterThanOrEqualTo(last);
      last = r.horizon();
      if (r.horizon().compareTo(stamp) > 0) {
        return r;
      }
      assertThat(System.nanoTime() - deadline).as("the horizon passes the committed stamp %s in time (now %s)",
          stamp, r.horizon()).isNegative();
      Thread.onSpinWait();
    }
  }

  private static Stamp stampOf(KeyValue kv) {
    assertThat(kv.key()).as("stamped key length").hasSize(STAMPED.length + Stamp.LENGTH);
    return Stamp.fromBytes(kv.key(), STAMPED.length);
  }

  private long commitStamped(String... values) {
    try (EngineTransaction tx = engine().begin(false)) {
      for (int i = 0; i < values.length; i++) {
        assertThat(tx.setStamped(STAMPED, v(values[i]))).as("order of stamped write %d", i).isEqualTo(i);
      }
      tx.commit();
      return tx.commitVersion();
    }
  }

  /** Commits one stamped write and returns its stamp ({@link EngineTransaction#committedStamp}). */
  private Stamp commitOneStamped(String value) {
    try (EngineTransaction tx = engine().begin(false)) {
      int order = tx.setStamped(STAMPED, v(value));
      tx.commit();
      return tx.committedStamp(order);
    }
  }

  @Test
  default void engineWithoutTheCapabilityRefusesStampedWrites() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.COMMIT_ORDERED_KEYS),
        "engine declares COMMIT_ORDERED_KEYS");
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("x"))).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("x"), 1)).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("x"), 3)).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void stampsIncreaseInCommitOrderAndOrderWithinATransaction() {
    requireCapability();
    // The second transaction begins first: the commit, not the begin, orders the stamps.
    try (EngineTransaction early = engine().begin(false); EngineTransaction late = engine().begin(false)) {
      pin(early);
      pin(late);
      late.setStamped(STAMPED, v("first-commit-a"));
      late.setStamped(STAMPED, v("first-commit-b"));
      early.setStamped(STAMPED, v("second-commit"));
      late.commit();
      early.commit();
      assertThat(early.commitVersion()).isGreaterThan(late.commitVersion());
    }
    long third = commitStamped("third");
    List<KeyValue> rows = read(engine(), CommitOrderedKeysContract::stampedKeys);
    assertThat(rows).extracting(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .containsExactly("first-commit-a", "first-commit-b", "second-commit", "third");
    List<Stamp> stamps = rows.stream().map(CommitOrderedKeysContract::stampOf).toList();
    assertThat(stamps).isSorted().doesNotHaveDuplicates();
    assertThat(stamps.get(0).order()).isZero();
    assertThat(stamps.get(1)).isEqualTo(new Stamp(stamps.get(0).commitVersion(), 1));
    assertThat(stamps.get(3).commitVersion()).isEqualTo(third);
  }

  /**
   * A transaction holds a stamped write open while others commit theirs; a reader sees the
   * others. When the late one commits, the reader's next scan from the last stamp it saw finds
   * it: nothing lands below a stamp already seen.
   */
  @Test
  default void aStampedWriteCanTakeSeveralOrders() {
    requireCapability();
    List<KeyValue> before;
    try (EngineTransaction tx = engine().begin(true)) {
      before = stampedKeys(tx);
    }
    long version;
    try (EngineTransaction tx = engine().begin(false)) {
      assertThat(tx.setStamped(STAMPED, v("one"))).isZero();
      assertThat(tx.setStamped(STAMPED, v("three"), 3)).isEqualTo(1);
      assertThat(tx.setStamped(STAMPED, v("again-one"), 1)).isEqualTo(4);
      assertThat(tx.setStamped(STAMPED, v("two"), 2)).isEqualTo(5);
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("none"), 0)).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("too many"), Stamp.MAX_ORDER))
          .isInstanceOf(InvalidArgumentException.class);
      assertThat(tx.setStamped(STAMPED, v("last"), Stamp.MAX_ORDER - 6)).as("a refused write took no orders")
          .isEqualTo(7);
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("past the last order"))).isInstanceOf(InvalidArgumentException.class);
      tx.commit();
      version = tx.commitVersion();
    }
    try (EngineTransaction tx = engine().begin(true)) {
      List<KeyValue> after = new ArrayList<>(stampedKeys(tx));
      after.removeIf(kv -> before.stream().anyMatch(b -> Arrays.equals(b.key(), kv.key())));
      assertThat(after).extracting(kv -> stampOf(kv))
          .containsExactly(new Stamp(version, 0), new Stamp(version, 1), new Stamp(version, 4),
              new Stamp(version, 5), new Stamp(version, 7));
      assertThat(after).extracting(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.UTF_8))
          .containsExactly("one", "three", "again-one", "two", "last");
    }
  }

  @Test
  default void aLateCommitterLandsAboveEveryStampAlreadySeen() {
    requireCapability();
    try (EngineTransaction lateTx = engine().begin(false)) {
      pin(lateTx);
      lateTx.setStamped(STAMPED, v("late"));
      commitStamped("a");
      commitStamped("b");
      List<KeyValue> seen = read(engine(), CommitOrderedKeysContract::stampedKeys);
      assertThat(seen).hasSize(2);
      Stamp last = stampOf(seen.get(1));
      lateTx.commit();
      List<KeyValue> after = read(engine(), CommitOrderedKeysContract::stampedKeys);
      assertThat(after.subList(0, 2)).as("keys up to the last stamp seen are unchanged").isEqualTo(seen);
      assertThat(after).hasSize(3);
      assertThat(stampOf(after.get(2))).isGreaterThan(last);
      assertThat(stampOf(after.get(2)).commitVersion()).isEqualTo(lateTx.commitVersion());
    }
  }

  /**
   * The horizon's promise, with a stamped commit held inside its commit (engines that commit in
   * parallel: there a commit on other keys may become visible first). Readers that read below
   * their horizon meanwhile, read-only and write snapshots, never find later a stamped key below
   * their horizon that they did not read; once the held commit is released every stamp passes the
   * horizon. An engine whose horizon ignored commits in flight (say {@link Stamp#MAX} with stamps
   * out of visibility order) fails here: the reader reads the later commits, then the held one
   * lands below them.
   */
  @Test
  default void aStampedCommitHeldInsideItsCommitIsNeverMissedBelowAHorizon() throws Exception {
    requireCapability();
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.PARALLEL_COMMITS),
        "engine '" + engine().name() + "' does not declare PARALLEL_COMMITS");
    FaultPoints faults = faults().orElseThrow();
    Stamp before = finalRead(true).horizon();
    // Horizons are compared between snapshots of one kind (read-only, read-write), and from a
    // read-write snapshot to a later read-only one; an engine may bound read-only ones tighter.
    List<FinalRead> whileHeld = new ArrayList<>();
    long heldVersion;
    long laterVersion;
    try (Pause pause = faults.arm(FaultPoints.Point.COMMIT_CHECKED)) {
      EngineFaultContract.Background<Long> held = EngineFaultContract.Background.start("held stamped committer",
          () -> commitStamped("held"));
      assertThat(pause.awaitReached(EngineFaultContract.WAIT)).as("the stamped commit reached COMMIT_CHECKED").isTrue();
      laterVersion = EngineFaultContract.Background.start("later stamped committer", () -> commitStamped("later"))
          .await("a stamped commit while another stamped commit is held inside its commit");
      whileHeld.add(finalRead(true));
      whileHeld.add(finalRead(false));
      assertThat(held.isDone()).as("the held commit returned before it was released").isFalse();
      pause.release();
      heldVersion = held.await("the held stamped commit once released");
    }
    Stamp highest = new Stamp(Math.max(heldVersion, laterVersion), 0);
    FinalRead readOnly = whileHeld.get(0);
    FinalRead readWrite = whileHeld.get(1);
    assertThat(readOnly.horizon()).as("the stamp horizon never goes backwards").isGreaterThanOrEqualTo(before);
    FinalRead settled = settledAbove(highest, readOnly.horizon(), true);
    settledAbove(highest, readWrite.horizon(), false);
    assertThat(settled.keys()).extracting(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .containsExactlyInAnyOrder("held", "later");
    for (FinalRead r : whileHeld) {
      List<KeyValue> nowBelow = settled.keys().stream()
          .filter(kv -> stampOf(kv).compareTo(r.horizon()) < 0).toList();
      assertThat(nowBelow).as("stamped keys below horizon %s: read while a stamped commit was in flight,"
          + " and once every commit finished", r.horizon()).isEqualTo(r.keys());
    }
  }

  @Test
  default void theHorizonPassesEveryCommittedStampAndNeverGoesBackwards() throws Exception {
    requireCapability();
    Stamp first = finalRead(false).horizon();
    long version = commitStamped("x");
    FinalRead r = settledAbove(new Stamp(version, 0), first, false);
    assertThat(r.keys()).hasSize(1);
    assertThat(stampOf(r.keys().get(0))).isEqualTo(new Stamp(version, 0));
    settledAbove(new Stamp(version, 0), r.horizon(), true);
    try (EngineTransaction tx = engine().begin(true)) {
      Stamp h = tx.stampHorizon();
      assertThat(tx.stampHorizon()).as("one snapshot, one horizon").isEqualTo(h);
      tx.rollback();
      assertThatThrownBy(tx::stampHorizon).isInstanceOf(io.tito.ClosedException.class);
    }
  }

  @Test
  default void concurrentStampedWritesOnDisjointKeysDoNotConflict() {
    requireCapability();
    List<EngineTransaction> txs = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        EngineTransaction tx = engine().begin(false);
        txs.add(tx);
        pin(tx);
        tx.setStamped(STAMPED, v("w" + i));
        tx.set(k("own-" + i), v("x"));
      }
      for (EngineTransaction tx : txs) {
        tx.commit();
      }
    } finally {
      txs.forEach(EngineTransaction::close);
    }
    assertThat(read(engine(), CommitOrderedKeysContract::stampedKeys)).hasSize(4);
  }

  @Test
  default void stampedKeysAreInvisibleToTheirOwnTransactionAndKnownAfterCommit() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.setStamped(STAMPED, v("mine"));
      assertThat(stampedKeys(tx)).as("own stamped write before commit").isEmpty();
      assertThatThrownBy(tx::commitVersion).isInstanceOf(InvalidArgumentException.class);
      Object sp = tx.savepoint();
      assertThat(tx.setStamped(STAMPED, v("undone"))).isEqualTo(1);
      tx.rollbackToSavepoint(sp);
      tx.commit();
      long version = tx.commitVersion();
      List<KeyValue> rows = read(engine(), CommitOrderedKeysContract::stampedKeys);
      assertThat(rows).hasSize(1);
      assertThat(stampOf(rows.get(0))).isEqualTo(new Stamp(version, 0));
    }
    try (EngineTransaction plain = engine().begin(false)) {
      plain.set(k("plain"), v("x"));
      plain.commit();
      assertThatThrownBy(plain::commitVersion).as("no stamped writes").isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void rollbackLeavesNothing() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.setStamped(STAMPED, v("gone"));
      tx.set(k("gone"), v("x"));
      tx.rollback();
    }
    read(engine(), tx -> {
      assertThat(stampedKeys(tx)).isEmpty();
      assertThat(tx.get(k("gone"))).isNull();
      return null;
    });
    long after = commitStamped("kept");
    assertThat(read(engine(), CommitOrderedKeysContract::stampedKeys)).singleElement()
        .satisfies(kv -> assertThat(stampOf(kv).commitVersion()).isEqualTo(after));
  }

  @Test
  default void readOnlyTransactionsRefuseStampedWrites() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(true)) {
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("x"))).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void theStampCountsTowardsTheKeySizeLimit() {
    requireCapability();
    int max = engine().limits().maxKeySize();
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.setStamped(new byte[max - Stamp.LENGTH + 1], v("x")))
          .isInstanceOf(io.tito.LimitExceededException.class);
      tx.setStamped(new byte[max - Stamp.LENGTH], v("x"));
      tx.rollback();
    }
  }

  @Test
  default void stampsKeepIncreasingAfterReopening() {
    requireCapability();
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.DURABLE), "not durable");
    long before = commitStamped("before");
    reopen();
    long after = commitStamped("after");
    assertThat(after).isGreaterThan(before);
    assertThat(read(engine(), CommitOrderedKeysContract::stampedKeys))
        .extracting(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .containsExactly("before", "after");
  }

  // ---- the stamp floor (Engine.raiseStampFloor)

  /** Stamped values in key order, as strings. */
  private List<String> stampedValues() {
    return read(engine(), CommitOrderedKeysContract::stampedKeys).stream()
        .map(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1)).toList();
  }

  @Test
  default void engineWithoutTheCapabilityAcceptsAStampFloor() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.COMMIT_ORDERED_KEYS),
        "engine declares COMMIT_ORDERED_KEYS");
    engine().raiseStampFloor(1_000_000); // nothing to raise: no stamps
    assertThatThrownBy(() -> engine().raiseStampFloor(-1)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void aCommitAfterRaisingTheFloorStampsAboveIt() throws Exception {
    requireCapability();
    long before = commitStamped("before");
    long floor = before + 1_000_000;
    engine().raiseStampFloor(floor);
    long after = commitStamped("after-a", "after-b");
    assertThat(after).as("stamp version after raising the floor to %d", floor).isGreaterThan(floor);
    // Readers see the keys below the floor and above it, in order, and the horizon passes both.
    FinalRead r = settledAbove(new Stamp(after, 1), Stamp.ZERO, true);
    assertThat(r.keys()).extracting(CommitOrderedKeysContract::stampOf)
        .containsExactly(new Stamp(before, 0), new Stamp(after, 0), new Stamp(after, 1));
    settledAbove(new Stamp(after, 1), Stamp.ZERO, false);
    assertThat(stampedValues()).containsExactly("before", "after-a", "after-b");
    assertThatThrownBy(() -> engine().raiseStampFloor(-1)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void raisingTheFloorIsMonotonicAndIdempotent() {
    requireCapability();
    long floor = commitStamped("first") + 1_000_000;
    engine().raiseStampFloor(floor);
    engine().raiseStampFloor(floor);
    engine().raiseStampFloor(floor - 500_000); // lower: changes nothing
    engine().raiseStampFloor(0);
    long second = commitStamped("second");
    assertThat(second).as("above the highest floor raised").isGreaterThan(floor);
    engine().raiseStampFloor(floor); // passed already: changes nothing
    engine().raiseStampFloor(second);
    long third = commitStamped("third");
    assertThat(third).isGreaterThan(second);
    assertThat(stampedValues()).containsExactly("first", "second", "third");
  }

  /**
   * {@link EngineTransaction#committedStamp} names the key each stamped write got, for
   * transactions committed alone or concurrently (an engine may commit concurrent transactions
   * that read nothing as one, shifting each one's orders): the differences between one
   * transaction's stamps are its orders' differences, and no two writes share a stamp.
   */
  @Test
  default void committedStampsNameTheKeysTheWritesGot() throws Exception {
    requireCapability();
    int threads = 4;
    int rounds = 25;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
      List<java.util.concurrent.Future<java.util.Map<Stamp, String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          java.util.Map<Stamp, String> named = new java.util.HashMap<>();
          barrier.await();
          for (int i = 0; i < rounds; i++) {
            try (EngineTransaction tx = engine().begin(false)) { // reads nothing
              String v = "t" + thread + "-" + i;
              int a = tx.setStamped(STAMPED, v(v + "a"));
              Object sp = tx.savepoint();
              tx.setStamped(STAMPED, v("undone")); // an order taken and given back
              tx.rollbackToSavepoint(sp);
              int b = tx.setStamped(STAMPED, v(v + "b"), 3);
              int c = tx.setStamped(STAMPED, v(v + "c"));
              tx.set(k("own-" + thread), v(v));
              tx.commit();
              Stamp sa = tx.committedStamp(a);
              Stamp sb = tx.committedStamp(b);
              Stamp sc = tx.committedStamp(c);
              assertThat(sa.commitVersion()).isEqualTo(tx.commitVersion());
              assertThat(sb.order() - sa.order()).as("order differences kept").isEqualTo(b - a);
              assertThat(sc.order() - sb.order()).isEqualTo(c - b).isEqualTo(3);
              named.put(sa, v + "a");
              named.put(sb, v + "b");
              named.put(sc, v + "c");
            }
          }
          return named;
        }));
      }
      java.util.Map<Stamp, String> expected = new java.util.HashMap<>();
      for (java.util.concurrent.Future<java.util.Map<Stamp, String>> f : results) {
        for (java.util.Map.Entry<Stamp, String> e : f.get().entrySet()) {
          assertThat(expected.put(e.getKey(), e.getValue())).as("stamp %s given twice", e.getKey()).isNull();
        }
      }
      java.util.Map<Stamp, String> found = new java.util.HashMap<>();
      for (KeyValue kv : read(engine(), CommitOrderedKeysContract::stampedKeys)) {
        found.put(stampOf(kv), new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      assertThat(found).as("every committed stamp names its write's key").isEqualTo(expected)
          .hasSize(threads * rounds * 3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void concurrentRaisersAndCommittersAreSafe() throws Exception {
    requireCapability();
    long start = commitStamped("start");
    int threads = 4;
    int rounds = 10;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
      List<java.util.concurrent.Future<List<long[]>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          List<long[]> floorsAndStamps = new ArrayList<>();
          barrier.await();
          for (int i = 0; i < rounds; i++) {
            long floor = start + (long) (i * threads + thread + 1) * 100_000;
            engine().raiseStampFloor(floor);
            Stamp stamp = commitOneStamped("t" + thread + "-" + i);
            floorsAndStamps.add(new long[] {floor, stamp.commitVersion(), stamp.order()});
          }
          return floorsAndStamps;
        }));
      }
      List<Stamp> stamps = new ArrayList<>();
      long highestFloor = 0;
      for (java.util.concurrent.Future<List<long[]>> f : results) {
        long previous = 0;
        for (long[] floorAndStamp : f.get()) {
          assertThat(floorAndStamp[1]).as("a commit after raising the floor %d", floorAndStamp[0])
              .isGreaterThan(floorAndStamp[0]).isGreaterThan(previous);
          previous = floorAndStamp[1];
          stamps.add(new Stamp(floorAndStamp[1], (int) floorAndStamp[2]));
          highestFloor = Math.max(highestFloor, floorAndStamp[0]);
        }
      }
      // Stamps are unique; transactions an engine committed together share a version.
      assertThat(stamps).as("stamps are unique").doesNotHaveDuplicates();
      long last = commitStamped("last");
      assertThat(last).isGreaterThan(highestFloor);
      assertThat(stampedValues()).hasSize(threads * rounds + 2).startsWith("start").endsWith("last");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void theFloorSurvivesReopening() {
    requireCapability();
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.DURABLE), "not durable");
    long floor = commitStamped("before") + 1_000_000;
    engine().raiseStampFloor(floor);
    reopen();
    long after = commitStamped("after");
    assertThat(after).isGreaterThan(floor);
    assertThat(stampedValues()).containsExactly("before", "after");
  }
}
