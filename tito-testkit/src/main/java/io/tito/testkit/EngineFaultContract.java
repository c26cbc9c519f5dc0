package io.tito.testkit;

import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tito.ConflictException;
import io.tito.spi.EngineTransaction;
import io.tito.testkit.FaultPoints.Point;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An engine's own commit machinery, paused at its {@linkplain FaultPoints fault points}: a commit
 * held inside the commit lock is seen whole or not at all and concurrent commits around it keep
 * first-committer-wins; a commit whose write-ahead log sync is held is read by nobody and does not
 * return. Skipped for the points an engine declares absent ({@link EngineFixture#faults()}).
 */
public interface EngineFaultContract extends EngineFixture {

  /** How long the kit waits for a thread that must get somewhere (a hang fails the test). */
  Duration WAIT = Duration.ofSeconds(Workers.DEADLINE_SECONDS);

  private FaultPoints faultsFor(Point point) {
    FaultPoints faults = faults().orElse(null);
    Assumptions.assumeTrue(faults != null && faults.supported().contains(point),
        "engine '" + engine().name() + "' declares no fault point " + point);
    return faults;
  }

  @Test
  default void aCommitHeldInsideTheCommitLockIsSeenWholeAndConcurrentCommitsStillConflict() throws Exception {
    FaultPoints faults = faultsFor(Point.COMMIT_LOCK);
    byte[] a = k("fault/a");
    byte[] b = k("fault/b");
    byte[] c = k("fault/c");
    Kit.commit(engine(), tx -> {
      tx.set(a, v("0"));
      tx.set(b, v("0"));
    });
    EngineTransaction loser = engine().begin(false);
    EngineTransaction bystander = engine().begin(false);
    try (Pause pause = faults.arm(Point.COMMIT_LOCK)) {
      pin(loser);
      pin(bystander);
      Background<Void> held = Background.start("held committer", () -> {
        Kit.commit(engine(), tx -> {
          tx.set(a, v("1"));
          tx.set(b, v("1"));
        });
        return null;
      });
      assertThat(pause.awaitReached(WAIT)).as("a commit reached the declared COMMIT_LOCK point").isTrue();

      // Begun while the commit is held: reads it whole or not at all, without waiting for the lock.
      List<byte[]> seen = Background.start("reader", () -> Kit.read(engine(), tx -> tx.getAll(List.of(a, b))))
          .await("a read-only transaction while a commit holds the commit lock");
      assertWhole(seen, "read while the commit is held");
      EngineTransaction late = Background.start("late writer", () -> {
        EngineTransaction tx = engine().begin(false);
        tx.get(a);
        return tx;
      }).await("a read-write transaction beginning while a commit holds the commit lock");
      List<byte[]> lateSeen = late.getAll(List.of(a, b));
      assertWhole(lateSeen, "read by a writer begun while the commit is held");

      loser.set(b, v("loser"));
      Background<Void> loserCommit = Background.start("conflicting committer", () -> {
        loser.commit();
        return null;
      });
      bystander.set(c, v("3"));
      Background<Void> bystanderCommit = Background.start("disjoint committer", () -> {
        bystander.commit();
        return null;
      });
      loserCommit.awaitBlockedOrDone();
      bystanderCommit.awaitBlockedOrDone();
      pause.release();
      held.await("the held commit once released");
      assertThat(loserCommit.failure()).as("commit of a key the held commit wrote, from an older snapshot")
          .isInstanceOf(ConflictException.class);
      bystanderCommit.await("a commit of a disjoint key");

      late.set(b, v("late" + new String(lateSeen.get(1), java.nio.charset.StandardCharsets.ISO_8859_1)));
      Throwable lateFailure = Background.start("late committer", () -> {
        late.commit();
        return null;
      }).failure();
      if (Arrays.equals(lateSeen.get(1), v("0"))) {
        assertThat(lateFailure).as("commit of a writer that did not see the held commit, writing its key")
            .isInstanceOf(ConflictException.class);
      } else if (lateFailure != null) {
        assertThat(lateFailure).isInstanceOf(ConflictException.class);
      }
      Kit.read(engine(), tx -> {
        assertThat(tx.get(a)).as("a after everything").isEqualTo(v("1"));
        assertThat(tx.get(b)).as("b after everything").isIn(v("1"), v("late1"));
        assertThat(tx.get(c)).as("c after everything").isEqualTo(v("3"));
        return null;
      });
    } finally {
      loser.close();
      bystander.close();
    }
  }

  @Test
  default void noTransactionReadsACommitWhoseSyncIsHeldAndTheCommitWaitsForIt() throws Exception {
    FaultPoints faults = faultsFor(Point.WAL_SYNC);
    byte[] a = k("fault/a");
    byte[] b = k("fault/b");
    Kit.commit(engine(), tx -> tx.set(a, v("0")));
    try (Pause pause = faults.arm(Point.WAL_SYNC)) {
      Background<Void> committer = Background.start("committer", () -> {
        Kit.commit(engine(), tx -> {
          tx.set(a, v("1"));
          tx.set(b, v("1"));
        });
        return null;
      });
      assertThat(pause.awaitReached(WAIT)).as("a sync reached the declared WAL_SYNC point").isTrue();
      List<byte[]> seen = Background.start("reader", () -> Kit.read(engine(), tx -> tx.getAll(List.of(a, b))))
          .await("a read-only transaction while a sync is held");
      assertThat(seen.get(0)).as("a, read while the sync of its commit is held").isEqualTo(v("0"));
      assertThat(seen.get(1)).as("b, read while the sync of its commit is held").isNull();
      EngineTransaction writer = Background.start("writer", () -> {
        EngineTransaction tx = engine().begin(false);
        tx.get(a);
        return tx;
      }).await("a read-write transaction beginning while a sync is held");
      try {
        assertThat(writer.get(b)).as("b, read by a writer begun while the sync is held").isNull();
        assertThat(committer.isDone()).as("the commit returned before its sync was done").isFalse();
        writer.set(a, v("writer"));
        pause.release();
        committer.await("the commit once its sync is released");
        Throwable failure = Background.start("writer commit", () -> {
          writer.commit();
          return null;
        }).failure();
        assertThat(failure).as("commit of a writer that read a before the synced commit wrote it")
            .isInstanceOf(ConflictException.class);
      } finally {
        writer.close();
      }
      Kit.read(engine(), tx -> {
        assertThat(tx.getAll(List.of(a, b))).as("a and b once synced").containsExactly(v("1"), v("1"));
        return null;
      });
    }
  }

  private static void assertWhole(List<byte[]> ab, String what) {
    boolean old = Arrays.equals(ab.get(0), v("0")) && Arrays.equals(ab.get(1), v("0"));
    boolean fresh = Arrays.equals(ab.get(0), v("1")) && Arrays.equals(ab.get(1), v("1"));
    if (!old && !fresh) {
      fail("%s: a half-applied commit is visible: a=%s, b=%s", what, Kit.show(ab.get(0)), Kit.show(ab.get(1)));
    }
  }

  /** A task on its own thread, awaited with a bound. */
  final class Background<T> {
    private final FutureTask<T> task;
    private final Thread thread;

    private Background(String name, Callable<T> body) {
      this.task = new FutureTask<>(body);
      this.thread = Thread.ofPlatform().daemon().name("tito-testkit-" + name).unstarted(task);
    }

    static <T> Background<T> start(String name, Callable<T> body) {
      Background<T> b = new Background<>(name, body);
      b.thread.start();
      return b;
    }

    boolean isDone() {
      return task.isDone();
    }

    /** The result; fails the test if the task failed or did not finish in time. */
    T await(String what) throws InterruptedException {
      try {
        return task.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(what + ": did not finish within " + WAIT.toSeconds() + " s");
      } catch (ExecutionException e) {
        throw new AssertionError(what + ": failed: " + e.getCause(), e.getCause());
      }
    }

    /** What the task threw, or null if it succeeded; fails the test if it did not finish in time. */
    Throwable failure() throws InterruptedException {
      try {
        task.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
        return null;
      } catch (TimeoutException e) {
        throw new AssertionError("did not finish within " + WAIT.toSeconds() + " s");
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }

    /** Waits (polling) until the task is done or its thread waits on something (a lock). */
    void awaitBlockedOrDone() {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!task.isDone()) {
        Thread.State s = thread.getState();
        if (s == Thread.State.BLOCKED || s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(thread.getName() + " neither finished nor waited within " + WAIT.toSeconds() + " s");
        }
        Thread.onSpinWait();
      }
    }
  }
}
