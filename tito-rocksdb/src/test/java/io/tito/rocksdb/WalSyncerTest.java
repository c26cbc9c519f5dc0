package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.CommitUnknownException;
import io.tito.StorageException;
import io.tito.TitoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** The group/periodic syncer in isolation, with a fake sync, and how write failures are mapped. */
class WalSyncerTest {

  private static final Path PATH = Path.of("/store");

  @Test
  void groupSyncCoversEveryCommitWrittenBeforeItStarted() throws Exception {
    CountDownLatch firstSyncStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstSync = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    WalSyncer syncer = WalSyncer.group(() -> {
      if (syncs.incrementAndGet() == 1) {
        firstSyncStarted.countDown();
        await(releaseFirstSync);
      }
    }, PATH);
    try {
      syncer.written(1);
      Thread first = Thread.ofPlatform().start(() -> syncer.awaitDurable(1));
      await(firstSyncStarted);
      // While the first sync runs, seven more commits are written and wait.
      List<Thread> waiters = new ArrayList<>();
      for (long v = 2; v <= 8; v++) {
        syncer.written(v);
        long version = v;
        waiters.add(Thread.ofPlatform().start(() -> syncer.awaitDurable(version)));
      }
      Thread.sleep(50);
      releaseFirstSync.countDown();
      first.join();
      for (Thread w : waiters) {
        w.join();
      }
      assertThat(syncs.get()).as("one sync for the first commit, one for the seven that queued").isEqualTo(2);
      syncer.awaitDurable(8); // already durable: returns at once
      assertThat(syncer.syncCount()).isEqualTo(2);
    } finally {
      syncer.stop();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aLeaderGathersAsManyCommittersAsTheLastSyncSawBeforeSyncing() throws Exception {
    CountDownLatch releaseFirstSync = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    // Every clock reading is ten minutes after the last: each sync "took" ten minutes, so the
    // gathering bound (half of that, at most an hour here) never ends a gather in this test.
    AtomicLong clock = new AtomicLong();
    WalSyncer syncer = WalSyncer.group(() -> {
      if (syncs.incrementAndGet() == 1) {
        await(releaseFirstSync);
      }
    }, PATH, null, TimeUnit.HOURS.toNanos(1), () -> clock.addAndGet(TimeUnit.MINUTES.toNanos(10)));
    try {
      // Three committers wait when the first sync ends (its leader among them): the population
      // expected back is three. The leader leaves, covered; one of the two others leads next.
      List<Thread> first = new ArrayList<>();
      for (long v = 1; v <= 3; v++) {
        syncer.written(v);
        long version = v;
        first.add(Thread.ofPlatform().start(() -> syncer.awaitDurable(version)));
        awaitWaiting(syncer, (int) v);
      }
      releaseFirstSync.countDown();
      first.get(0).join();
      // With two of three waiting, the new leader gathers instead of syncing at once.
      awaitGathering(syncer, 1);
      assertThat(syncs.get()).as("no sync while gathering").isEqualTo(1);
      // The third committer comes back: one sync covers all three.
      syncer.written(4);
      syncer.awaitDurable(4);
      first.get(1).join();
      first.get(2).join();
      assertThat(syncs.get()).as("one sync for the three gathered commits").isEqualTo(2);
      assertThat(syncer.gatherCounts()).containsExactly(1, 0);
    } finally {
      syncer.stop();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theArrivalThatCompletesTheExpectedCommittersSyncsForThemWhileTheLeaderSleeps() throws Exception {
    CountDownLatch releaseFirstSync = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    AtomicLong clock = new AtomicLong();
    WalSyncer syncer = WalSyncer.group(() -> {
      if (syncs.incrementAndGet() == 1) {
        await(releaseFirstSync);
      }
    }, PATH, null, TimeUnit.HOURS.toNanos(1), () -> clock.addAndGet(TimeUnit.MINUTES.toNanos(10)));
    try {
      // Versions 1-3 are written before the first sync starts (it covers them); 4 and 5 while it
      // runs. Five wait when it ends: the population expected back is five.
      for (long v = 1; v <= 3; v++) {
        syncer.written(v);
      }
      List<Thread> covered = new ArrayList<>();
      List<Thread> later = new ArrayList<>();
      for (long v = 1; v <= 5; v++) {
        if (v == 4) {
          syncer.written(4);
          syncer.written(5);
        }
        long version = v;
        (v <= 3 ? covered : later).add(Thread.ofPlatform().start(() -> syncer.awaitDurable(version)));
        awaitWaiting(syncer, (int) v);
      }
      releaseFirstSync.countDown();
      for (Thread t : covered) {
        t.join();
      }
      // One of 4 and 5 leads and gathers: two of five are back. Three more arrive one by one.
      awaitGathering(syncer, 1);
      for (long v = 6; v <= 8; v++) {
        while (!syncer.gathererAsleep()) {
          Thread.yield();
        }
        syncer.written(v);
        long version = v;
        later.add(Thread.ofPlatform().start(() -> syncer.awaitDurable(version)));
        if (v < 8) {
          awaitWaiting(syncer, (int) v - 3); // the eighth completes the five, and all leave
        }
      }
      for (Thread t : later) {
        t.join();
      }
      assertThat(syncs.get()).as("one sync for the five gathered commits").isEqualTo(2);
      assertThat(syncer.takeovers()).as("the fifth arrival ran that sync").isEqualTo(1);
      assertThat(syncer.gatherWakeUps()).as("the leader is woken once, by the sync's end, not by"
          + " each arrival").isEqualTo(1);
    } finally {
      syncer.stop();
    }
  }

  /**
   * Many committers, short syncs of varying length: syncs never overlap (the hooks run for one
   * sync at a time), and every commit returns once a sync that started after it was written has
   * ended. Gathers are taken over by the arrival that completes them all the time here, and a
   * leader asleep through one takeover can wake after the next gather began: it must see that
   * its own gather was taken over (an earlier version compared gather numbers for equality and
   * ran a second sync beside the next one).
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void syncsNeverOverlapAndCoverEveryCommitUnderManyCommitters() throws Exception {
    AtomicInteger inSync = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicLong written = new AtomicLong();
    AtomicLong syncedUpTo = new AtomicLong();
    AtomicLong uncovered = new AtomicLong();
    java.util.Random random = new java.util.Random(11);
    long[] pauses = new long[64];
    for (int i = 0; i < pauses.length; i++) {
      pauses[i] = 20_000 + random.nextInt(300_000);
    }
    AtomicInteger syncNo = new AtomicInteger();
    WalSyncer[] holder = new WalSyncer[1];
    WalSyncer syncer = WalSyncer.group(() -> {
      if (inSync.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      long target = written.get(); // every version written before the sync started
      java.util.concurrent.locks.LockSupport.parkNanos(pauses[syncNo.getAndIncrement() & 63]);
      syncedUpTo.accumulateAndGet(target, Math::max);
      inSync.decrementAndGet();
    }, PATH, null);
    holder[0] = syncer;
    Object writeLock = new Object();
    int threads = 8;
    int commits = 3_000;
    List<Thread> committers = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        committers.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < commits; i++) {
            long v;
            synchronized (writeLock) {
              v = written.incrementAndGet();
              holder[0].written(v);
            }
            holder[0].awaitDurable(v);
            if (syncedUpTo.get() < v) {
              uncovered.incrementAndGet();
            }
          }
        }));
      }
      for (Thread t : committers) {
        t.join();
      }
      assertThat(overlaps.get()).as("syncs that ran beside another").isZero();
      assertThat(uncovered.get()).as("commits that returned before a sync covered them").isZero();
      assertThat(syncer.takeovers()).as("gathers taken over by an arrival").isPositive();
    } finally {
      syncer.stop();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aLeaderExpectsOnlyTheCommittersThatWaitedAtTheLastTwoSyncsEnds() throws Exception {
    CountDownLatch releaseFirstSync = new CountDownLatch(1);
    CountDownLatch releaseSecondSync = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    // Each sync "took" ten minutes, so a gather is bounded by maxGather (5 s) alone: with the old
    // estimate the third leader waits that long for committers that never come.
    AtomicLong clock = new AtomicLong();
    WalSyncer syncer = WalSyncer.group(() -> {
      int n = syncs.incrementAndGet();
      if (n == 1) {
        await(releaseFirstSync);
      } else if (n == 2) {
        await(releaseSecondSync);
      }
    }, PATH, null, TimeUnit.SECONDS.toNanos(5), () -> clock.addAndGet(TimeUnit.MINUTES.toNanos(10)));
    try {
      // Sync 1 covers version 1 (a lone committer: no gather); versions 2-4 wait behind it.
      syncer.written(1);
      Thread first = Thread.ofPlatform().start(() -> syncer.awaitDurable(1));
      while (syncs.get() < 1) {
        Thread.yield();
      }
      List<Thread> threads = new ArrayList<>();
      for (long v = 2; v <= 4; v++) {
        syncer.written(v);
        long version = v;
        threads.add(Thread.ofPlatform().start(() -> syncer.awaitDurable(version)));
        awaitWaiting(syncer, (int) v);
      }
      // Four wait when sync 1 ends: the next leader gathers until a fourth uncovered one (5) is there.
      releaseFirstSync.countDown();
      first.join();
      awaitGathering(syncer, 1);
      syncer.written(5);
      threads.add(Thread.ofPlatform().start(() -> syncer.awaitDurable(5)));
      while (syncs.get() < 2) {
        Thread.yield();
      }
      // While sync 2 runs, four more wait (6-9): eight wait when it ends, four of them covered.
      for (long v = 6; v <= 9; v++) {
        syncer.written(v);
        long version = v;
        threads.add(Thread.ofPlatform().start(() -> syncer.awaitDurable(version)));
      }
      awaitWaiting(syncer, 8);
      releaseSecondSync.countDown();
      for (Thread t : threads) {
        t.join();
      }
      // Expected back: min(4, 8) = 4, and the four uncovered are there: sync 3 starts at once.
      assertThat(syncs.get()).isEqualTo(3);
      assertThat(syncer.gatherCounts()).as("only the second leader gathered").containsExactly(1, 0);
    } finally {
      syncer.stop();
    }
  }

  @Test
  void aLoneCommitterNeverGathers() {
    AtomicLong clock = new AtomicLong();
    WalSyncer syncer = WalSyncer.group(() -> { }, PATH, null, TimeUnit.HOURS.toNanos(1),
        () -> clock.addAndGet(TimeUnit.MINUTES.toNanos(10)));
    try {
      for (long v = 1; v <= 20; v++) {
        syncer.written(v);
        syncer.awaitDurable(v);
      }
      assertThat(syncer.syncCount()).isEqualTo(20);
      assertThat(syncer.gatherCounts()).containsExactly(0, 0);
    } finally {
      syncer.stop();
    }
  }

  private static void awaitWaiting(WalSyncer syncer, int count) {
    while (syncer.waitingCount() < count) {
      Thread.yield();
    }
  }

  private static void awaitGathering(WalSyncer syncer, long gathers) {
    while (syncer.gatherCounts()[0] < gathers) {
      Thread.yield();
    }
  }

  @Test
  void failedSyncMakesTheCommitsItCoveredUnknownAndLaterSyncsRecover() {
    AtomicBoolean fail = new AtomicBoolean(true);
    WalSyncer syncer = WalSyncer.group(() -> {
      if (fail.get()) {
        throw new RocksDBException("disk gone", new Status(Status.Code.IOError, Status.SubCode.None, "disk gone"));
      }
    }, PATH);
    try {
      syncer.written(1);
      assertThatThrownBy(() -> syncer.awaitDurable(1)).isInstanceOf(CommitUnknownException.class)
          .hasMessageContaining("could not be synced").hasRootCauseMessage("disk gone");
      fail.set(false);
      syncer.written(2);
      syncer.awaitDurable(2);
      syncer.awaitDurable(1); // covered by the later successful sync
    } finally {
      syncer.stop();
    }
  }

  @Test
  void periodicSyncRunsEveryIntervalOnlyWhenSomethingWasWritten() throws Exception {
    AtomicLong syncs = new AtomicLong();
    WalSyncer syncer = WalSyncer.periodic(syncs::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(5), PATH);
    try {
      Thread.sleep(50);
      assertThat(syncs.get()).as("nothing written, nothing synced").isZero();
      syncer.written(1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (syncs.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(syncs.get()).isEqualTo(1);
    } finally {
      syncer.stop();
    }
    syncer.stop(); // idempotent
  }

  @Test
  void stopReleasesWaitersThatWereNeverCovered() throws Exception {
    WalSyncer syncer = WalSyncer.periodic(() -> { }, TimeUnit.HOURS.toNanos(1), PATH);
    syncer.stop();
    assertThatThrownBy(() -> syncer.awaitDurable(1)).isInstanceOf(CommitUnknownException.class);
  }

  @Test
  void writeFailuresAreMappedByWhetherRocksDbMayHaveLoggedTheBatch() {
    assertThat(mapped(Status.Code.Busy)).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.isRetriable()).isTrue());
    assertThat(mapped(Status.Code.InvalidArgument)).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.isRetriable()).isFalse());
    assertThat(mapped(Status.Code.IOError)).isInstanceOf(CommitUnknownException.class);
    assertThat(mapped(Status.Code.Corruption)).isInstanceOf(CommitUnknownException.class);
    assertThat(RocksDbEngine.writeFailure(new RocksDBException("no status"), PATH))
        .isInstanceOf(CommitUnknownException.class);
  }

  private static TitoException mapped(Status.Code code) {
    return RocksDbEngine.writeFailure(
        new RocksDBException("x", new Status(code, Status.SubCode.None, "x")), PATH);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
