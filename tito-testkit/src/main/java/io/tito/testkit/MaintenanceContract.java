package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.key;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ConflictException;
import io.tito.spi.EngineTransaction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine's background maintenance ({@link EngineFixture#runMaintenance()}: tombstone
 * collection, pruning of conflict history) never changes what committed transactions wrote, even
 * while it races commits. The case that matters: a key deleted (leaving a tombstone for conflict
 * checks) and written again, as a requeued dead letter, a re-inserted id or a re-claimed unique
 * value are; maintenance that selected the tombstone must not delete the row once it is live.
 * For engines without maintenance the hook does nothing and these tests only check the commits.
 */
public interface MaintenanceContract extends EngineFixture {

  /** Deleted keys stay deleted and live keys stay live after a maintenance pass. */
  @Test
  default void maintenanceKeepsWhatWasCommitted() {
    ReferenceModel model = new ReferenceModel();
    commit(engine(), tx -> {
      for (int i = 0; i < 20; i++) {
        tx.set(key("m/", i), v("first " + i));
        model.set(key("m/", i), v("first " + i));
      }
    });
    commit(engine(), tx -> {
      for (int i = 0; i < 20; i += 2) {
        tx.clear(key("m/", i));
        model.clear(key("m/", i));
      }
      tx.clearRange(key("m/", 15), key("m/", 18));
      model.clearRange(key("m/", 15), key("m/", 18));
    });
    runMaintenance();
    read(engine(), tx -> {
      Kit.assertContents(tx, model, "after maintenance");
      return null;
    });
    commit(engine(), tx -> {
      tx.set(key("m/", 0), v("again"));
      model.set(key("m/", 0), v("again"));
    });
    runMaintenance();
    read(engine(), tx -> {
      Kit.assertContents(tx, model, "after re-writing a deleted key and maintenance");
      return null;
    });
  }

  /**
   * Writers delete a key and write it again at once, key after key, while maintenance passes run
   * back to back on another thread, so that passes find fresh tombstones whose keys are being
   * written again. Every key must end live with the value of its last write.
   */
  @Test
  default void maintenanceRacingRewritesOfDeletedKeysNeverDeletesALiveKey() throws Exception {
    int writers = 2;
    int keysPerWriter = 150;
    AtomicInteger writing = new AtomicInteger(writers);
    CompletableFuture<Void> maintenance = CompletableFuture.runAsync(() -> {
      while (writing.get() > 0) {
        runMaintenance();
      }
    });
    try {
      Workers.run(writers, 0, (w, random, deadline) -> {
        try {
          for (int i = 0; i < keysPerWriter; i++) {
            byte[] k = key("w" + w + "/", i);
            commitRetrying(this, tx -> tx.set(k, v("old")));
            commitRetrying(this, tx -> tx.clear(k));
            commitRetrying(this, tx -> tx.set(k, v("live")));
          }
        } finally {
          writing.decrementAndGet();
        }
      });
    } finally {
      writing.set(0);
    }
    maintenance.get(Workers.DEADLINE_SECONDS, TimeUnit.SECONDS);
    runMaintenance();
    read(engine(), tx -> {
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < keysPerWriter; i++) {
          Kit.assertValue(tx.get(key("w" + w + "/", i)), v("live"),
              "key %d of writer %d, deleted and written again while maintenance ran", i, w);
        }
      }
      return null;
    });
  }

  private static void commitRetrying(EngineFixture f, Consumer<EngineTransaction> body) {
    for (int attempt = 1; ; attempt++) {
      try {
        commit(f.engine(), body);
        return;
      } catch (ConflictException e) {
        assertThat(attempt).as("conflicts writing a key no other writer writes").isLessThan(20);
      } catch (io.tito.StorageException e) {
        // A commit the engine reports as certainly not applied (a server that timed out under
        // load) is retried, as Tito's transaction runner does; anything else fails the test.
        if (!e.isRetriable() || attempt >= 20) {
          throw e;
        }
      }
    }
  }
}
