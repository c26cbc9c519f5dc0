package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With group commit a commit is written before the sync that makes it durable; no other
 * transaction may read it until that sync is done (else a crash could erase what a reader, for
 * example a pub/sub handler, already acted on).
 */
class GroupCommitVisibilityTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCommitIsReadableByOthersOnlyOnceItsSyncIsDone(@TempDir Path dir) throws Exception {
    CountDownLatch syncRequested = new CountDownLatch(1);
    CountDownLatch releaseSyncs = new CountDownLatch(1);
    AtomicInteger syncsDone = new AtomicInteger();
    try (RocksDbEngine engine = RocksDbEngine.open(
        RocksDbOptions.builder(dir).durability(Durability.GROUP).build(),
        sync -> () -> {
          syncRequested.countDown();
          try {
            releaseSyncs.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          sync.sync();
          syncsDone.incrementAndGet();
        })) {
      Thread writer = Thread.ofPlatform().start(() -> {
        try (EngineTransaction tx = engine.begin(false)) {
          tx.set(b("k"), b("v"));
          tx.commit(); // waits for the (held) sync
        }
      });
      // The commit is applied once it asks for its sync.
      assertThat(syncRequested.await(30, TimeUnit.SECONDS)).isTrue();

      // Readers never wait for a sync, so the reader finishes while the sync is still held.
      AtomicReference<byte[]> seen = new AtomicReference<>();
      AtomicInteger syncsWhenSeen = new AtomicInteger(-1);
      Thread reader = Thread.ofPlatform().start(() -> {
        try (EngineTransaction tx = engine.begin(true)) {
          seen.set(tx.get(b("k")));
          syncsWhenSeen.set(syncsDone.get());
        }
      });
      reader.join(TimeUnit.SECONDS.toMillis(30));
      boolean readerFinished = !reader.isAlive();
      releaseSyncs.countDown();
      reader.join();
      writer.join();

      assertThat(readerFinished).as("the reader finished while the sync was held").isTrue();
      assertThat(syncsWhenSeen.get()).as("syncs done when the reader read").isZero();
      assertThat(seen.get()).as("what a reader saw before the commit's sync").isNull();
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("v"));
      }
    }
  }

  /**
   * A writer reads the synced view, so it loses to a commit of its key that is not synced yet; its
   * conflict is reported only once that commit is synced, so the retry reads it (and does not
   * conflict again, sync after sync, on a hot key such as a partition's sequence).
   */
  @Test
  void aConflictWithAnUnsyncedCommitIsReportedOnceThatCommitIsSynced(@TempDir Path dir)
      throws Exception {
    AtomicReference<CountDownLatch> hold = new AtomicReference<>(new CountDownLatch(0));
    CountDownLatch syncHeld = new CountDownLatch(1);
    try (RocksDbEngine engine = RocksDbEngine.open(
        RocksDbOptions.builder(dir).durability(Durability.GROUP).build(),
        sync -> () -> {
          CountDownLatch h = hold.get();
          if (h.getCount() > 0) {
            syncHeld.countDown();
            try {
              h.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          sync.sync();
        })) {
      EngineTransaction loser = engine.begin(false);
      CountDownLatch release = new CountDownLatch(1);
      hold.set(release);
      Thread winner = Thread.ofPlatform().start(() -> {
        try (EngineTransaction tx = engine.begin(false)) {
          tx.set(b("k"), b("winner"));
          tx.commit(); // applied, then leads the (held) sync
        }
      });
      assertThat(syncHeld.await(30, TimeUnit.SECONDS)).isTrue();
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread loserThread = Thread.ofPlatform().start(() -> {
        try {
          loser.set(b("k"), b("loser"));
          loser.commit();
        } catch (Throwable e) {
          outcome.set(e);
        } finally {
          loser.close();
        }
      });
      // The loser must wait for the winner's sync: poll until it waits or (wrongly) finished.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (loserThread.isAlive() && loserThread.getState() != Thread.State.WAITING
          && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      }
      // If the conflict was reported while the winner's sync was held, a retry would read the
      // old view and conflict again: that is what this test rules out.
      byte[] seenWhileSyncHeld = null;
      boolean reportedWhileSyncHeld = !loserThread.isAlive();
      if (reportedWhileSyncHeld) {
        try (EngineTransaction tx = engine.begin(true)) {
          seenWhileSyncHeld = tx.get(b("k"));
        }
      }
      release.countDown();
      loserThread.join();
      winner.join();
      assertThat(outcome.get()).isInstanceOf(io.tito.ConflictException.class);
      assertThat(((io.tito.ConflictException) outcome.get()).retryNow())
          .as("reported once the winner is synced: retriable without backoff").isTrue();
      assertThat(reportedWhileSyncHeld ? seenWhileSyncHeld : b("winner"))
          .as("what a retry reads once the conflict is reported")
          .isEqualTo(b("winner"));
      try (EngineTransaction tx = engine.begin(false)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("winner"));
      }
    }
  }

  @Test
  void afterAFailedSyncNoTransactionReadsTheUnsyncedCommits(@TempDir Path dir) {
    try (RocksDbEngine engine = RocksDbEngine.open(
        RocksDbOptions.builder(dir).durability(Durability.GROUP).build(),
        sync -> () -> {
          throw new org.rocksdb.RocksDBException("injected: disk gone");
        })) {
      EngineTransaction tx = engine.begin(false);
      tx.set(b("k"), b("v"));
      assertThatThrownBy(tx::commit).isInstanceOf(io.tito.CommitUnknownException.class);
      tx.close();
      assertThatThrownBy(() -> engine.begin(true))
          .isInstanceOf(io.tito.StorageException.class)
          .hasMessageContaining("could not be synced");
    }
  }

  @Test
  void readersDoNotWaitForASyncInFlightAndSeeTheLastSyncedState(@TempDir Path dir)
      throws Exception {
    AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    CountDownLatch requested = new CountDownLatch(1);
    try (RocksDbEngine engine = RocksDbEngine.open(
        RocksDbOptions.builder(dir).durability(Durability.GROUP).build(),
        sync -> () -> {
          CountDownLatch g = gate.get();
          if (g != null) {
            requested.countDown();
            try {
              g.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          sync.sync();
        })) {
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("a"), b("1"));
        tx.commit(); // synced at once: no gate yet
      }
      CountDownLatch release = new CountDownLatch(1);
      gate.set(release);
      Thread writer = Thread.ofPlatform().start(() -> {
        try (EngineTransaction tx = engine.begin(false)) {
          tx.set(b("a"), b("2"));
          tx.commit(); // waits for the held sync
        }
      });
      assertThat(requested.await(30, TimeUnit.SECONDS)).isTrue();
      AtomicReference<byte[]> seen = new AtomicReference<>();
      Thread reader = Thread.ofPlatform().start(() -> {
        try (EngineTransaction tx = engine.begin(true)) {
          seen.set(tx.get(b("a")));
        }
      });
      reader.join(TimeUnit.SECONDS.toMillis(30));
      boolean readerWaited = reader.isAlive();
      gate.set(null);
      release.countDown();
      reader.join();
      writer.join();

      assertThat(readerWaited).as("the reader waited for the sync in flight").isFalse();
      assertThat(seen.get()).as("what the reader saw: the last synced value").isEqualTo(b("1"));
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("a"))).as("after the commit returned").isEqualTo(b("2"));
      }
    }
  }
}
