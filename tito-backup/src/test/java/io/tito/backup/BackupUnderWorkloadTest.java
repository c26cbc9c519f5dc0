package io.tito.backup;

import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionLag;
import io.tito.testkit.pubsub.DeliveryHistory;
import io.tito.testkit.pubsub.DeliveryScenario;
import io.tito.testkit.pubsub.HistoryChecker;
import io.tito.testkit.pubsub.ResumedDelivery;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups taken while the delivery scenario runs (concurrent producers with aborts, churning
 * workers of four groups, dead letters and requeues): the source's history passes the checker,
 * and each restored point holds a consistent prefix of what was committed: every event in its
 * logs is a committed one, at the partition and position the source gave it, no position is
 * missing below the head, no checkpoint is past its head, and the last point restores the final
 * store exactly. On three of the restored points (early, middle, late) the consumer groups are
 * resumed from the restored checkpoints and the history checker judges what they delivered
 * ({@link ResumedDelivery}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackupUnderWorkloadTest {

  private static final String TOPIC = "history";
  private static final List<String> GROUPS = List.of("alpha", "beta", "gamma", "delta");

  @TempDir Path dir;

  @Test
  void backupsTakenUnderLoadRestoreConsistentPrefixes() throws Exception {
    DeliveryScenario.Settings settings = DeliveryScenario.Settings.defaults();
    MemoryEngine source = new MemoryEngine();
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir));
    List<BackupManifest> taken = new ArrayList<>();
    try (Tito tito = Tito.open(source)) {
      DeliveryScenario scenario = new DeliveryScenario(tito, settings);
      CompletableFuture<DeliveryScenario.Stats> run = CompletableFuture.supplyAsync(() -> {
        try {
          return scenario.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
      awaitCommits(scenario.history(), 1, run);
      taken.add(backups.full(source));
      int target = 0;
      while (!run.isDone()) {
        target += 20;
        if (awaitCommits(scenario.history(), target, run)) {
          taken.add(backups.incremental(source));
        }
      }
      DeliveryScenario.Stats stats = run.get();
      taken.add(backups.incremental(source));
      DeliveryHistory history = scenario.history();
      assertThat(HistoryChecker.check(history)).as("source history (seed %d, %s)", settings.seed(), stats).isEmpty();
      assertThat(taken.size()).as("backups taken while the scenario ran").isGreaterThan(2);

      Map<String, UUID> sourceLog = log(tito);
      List<String> finalState = dump(source);
      Set<BackupManifest> resumed = new HashSet<>(List.of(taken.get(1), taken.get(taken.size() / 2), taken.get(taken.size() - 2)));
      int resumedEvents = 0;
      for (BackupManifest m : taken) {
        MemoryEngine restoredEngine = new MemoryEngine();
        backups.restore(RestorePoint.atVersion(m.toVersion()), restoredEngine);
        try (Tito restored = Tito.open(restoredEngine)) {
          checkPrefix(restored, history, sourceLog, m);
          if (m == taken.get(taken.size() - 1)) {
            assertThat(dump(restoredEngine)).as("the last backup restores the final store").isEqualTo(finalState);
          }
          if (resumed.contains(m)) {
            resumedEvents += checkResumed(restored, history, m, settings);
          }
        }
      }
      assertThat(resumedEvents).as("events delivered on resumed restored stores").isPositive();
      backups.releaseHold(source);
    }
  }

  /**
   * Resumes the consumer groups on the restored store from its checkpoints and runs the history
   * checker on what they delivered before the point (as the store recorded it) and after: every
   * event of the restored logs delivered as each group's semantics require, no event the source
   * did not commit. Returns the number of committed events the restored store holds.
   */
  private static int checkResumed(Tito restored, DeliveryHistory source, BackupManifest m,
      DeliveryScenario.Settings settings) {
    DeliveryHistory after = ResumedDelivery.resume(restored, source, Duration.ofSeconds(60));
    assertThat(HistoryChecker.check(after))
        .as("consumers resumed on the store restored at %s (version %d, seed %d)", m.id(), m.toVersion(), settings.seed())
        .isEmpty();
    return after.committed().size();
  }

  /** Waits until the history has {@code count} committed events or the run ends; true if reached. */
  private static boolean awaitCommits(DeliveryHistory h, int count, CompletableFuture<?> run) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (h.committed().size() < count) {
      if (run.isDone()) {
        return false;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no progress: " + h.committed().size() + " committed events");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll interval
    }
    return true;
  }

  /** Every retained event of the topic: "partition/position" to id. */
  private static Map<String, UUID> log(Tito tito) {
    Map<String, UUID> out = new HashMap<>();
    for (int p = 0; p < tito.topics().topic(TOPIC).partitions(); p++) {
      long head = tito.topics().head(TOPIC, p);
      for (long pos = 0; pos < head; ) {
        List<Event> page = tito.topics().read(TOPIC, p, pos, 500);
        if (page.isEmpty()) {
          break;
        }
        for (Event e : page) {
          out.put(p + "/" + e.position(), e.id());
          pos = e.position() + 1;
        }
      }
    }
    return out;
  }

  private static void checkPrefix(Tito restored, DeliveryHistory history, Map<String, UUID> sourceLog,
      BackupManifest m) {
    String at = "restored at " + m.id() + " (version " + m.toVersion() + ")";
    int partitions = restored.topics().topic(TOPIC).partitions();
    for (int p = 0; p < partitions; p++) {
      long head = restored.topics().head(TOPIC, p);
      long first = -1;
      long previous = -1;
      for (long pos = 0; pos < head; ) {
        List<Event> page = restored.topics().read(TOPIC, p, pos, 500);
        if (page.isEmpty()) {
          break;
        }
        for (Event e : page) {
          assertThat(history.committed()).as("%s: event %s is a committed one", at, e.id()).containsKey(e.id());
          assertThat(history.committed().get(e.id()).partition()).as("%s: partition of %s", at, e.id()).isEqualTo(p);
          UUID there = sourceLog.get(p + "/" + e.position());
          if (there != null) {
            assertThat(e.id()).as("%s: the source has the same event at %d/%d", at, p, e.position()).isEqualTo(there);
          }
          if (previous >= 0) {
            assertThat(e.position()).as("%s: no gap in partition %d", at, p).isEqualTo(previous + 1);
          }
          if (first < 0) {
            first = e.position();
          }
          previous = e.position();
          pos = e.position() + 1;
        }
      }
      if (previous >= 0) {
        assertThat(previous).as("%s: the log of partition %d reaches its head", at, p).isEqualTo(head - 1);
      }
    }
    for (String g : GROUPS) {
      List<PartitionLag> lag;
      try {
        lag = restored.topics().lag(TOPIC, g);
      } catch (io.tito.NotFoundException e) {
        continue; // the group had not registered yet at this point
      }
      for (PartitionLag l : lag) {
        assertThat(l.checkpoint()).as("%s: checkpoint of %s/%d", at, g, l.partition()).isLessThanOrEqualTo(l.head());
      }
    }
  }
}
