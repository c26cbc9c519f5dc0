package io.tito.testkit;

import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ConflictException;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import io.tito.testkit.EngineFaultContract.Background;
import io.tito.testkit.FaultPoints.Point;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Capability#PARALLEL_COMMITS}: a commit held inside its commit, past its conflict checks
 * ({@link Point#COMMIT_CHECKED}), does not keep a commit on other keys from completing, nobody
 * reads the held commit meanwhile, and a commit of a key it writes from an older snapshot still
 * fails once it is released. Skipped for engines without the capability; an engine declaring it
 * must declare the pause point.
 */
public interface ParallelCommitContract extends EngineFixture {

  @Test
  default void aCommitOnDisjointKeysCompletesWhileAnotherIsHeldInsideItsCommit() throws Exception {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.PARALLEL_COMMITS),
        "engine '" + engine().name() + "' does not declare PARALLEL_COMMITS");
    FaultPoints faults = faults().orElse(null);
    assertThat(faults != null && faults.supported().contains(Point.COMMIT_CHECKED))
        .as("an engine declaring PARALLEL_COMMITS declares the COMMIT_CHECKED pause point").isTrue();
    byte[] a = k("parallel/a");
    byte[] b = k("parallel/b");
    Kit.commit(engine(), tx -> {
      tx.set(a, v("0"));
      tx.set(b, v("0"));
    });
    EngineTransaction loser = engine().begin(false);
    try (Pause pause = faults.arm(Point.COMMIT_CHECKED)) {
      pin(loser);
      Background<Void> held = Background.start("held committer", () -> {
        Kit.commit(engine(), tx -> tx.set(a, v("held")));
        return null;
      });
      assertThat(pause.awaitReached(EngineFaultContract.WAIT)).as("a commit reached the COMMIT_CHECKED point").isTrue();

      Background.start("disjoint committer", () -> {
        Kit.commit(engine(), tx -> tx.set(b, v("other")));
        return null;
      }).await("a commit on another key while a commit is held inside its commit");
      assertThat(held.isDone()).as("the held commit returned before it was released").isFalse();
      List<byte[]> seen = Background.start("reader", () -> Kit.read(engine(), tx -> tx.getAll(List.of(a, b))))
          .await("a read while a commit is held");
      assertThat(seen).as("a and b while the commit of a is held").containsExactly(v("0"), v("other"));

      loser.set(a, v("loser"));
      Background<Void> loserCommit = Background.start("conflicting committer", () -> {
        loser.commit();
        return null;
      });
      pause.release();
      held.await("the held commit once released");
      assertThat(loserCommit.failure()).as("commit of the held commit's key from an older snapshot")
          .isInstanceOf(ConflictException.class);
    } finally {
      loser.close();
    }
    Kit.read(engine(), tx -> {
      assertThat(tx.getAll(List.of(a, b))).as("a and b after both commits").containsExactly(v("held"), v("other"));
      return null;
    });
  }

  /**
   * A commit of stamped keys ({@link Capability#COMMIT_ORDERED_KEYS}) does not take the store for
   * itself: held inside its commit, a point commit and another stamped commit complete meanwhile.
   */
  @Test
  default void commitsCompleteWhileAStampedCommitIsHeldInsideItsCommit() throws Exception {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.PARALLEL_COMMITS)
        && engine().capabilities().contains(Capability.COMMIT_ORDERED_KEYS),
        "engine '" + engine().name() + "' does not declare PARALLEL_COMMITS and COMMIT_ORDERED_KEYS");
    FaultPoints faults = faults().orElseThrow();
    byte[] prefix = k("parallel/stamped/");
    byte[] point = k("parallel/point");
    try (Pause pause = faults.arm(Point.COMMIT_CHECKED)) {
      Background<Void> held = Background.start("held stamped committer", () -> {
        Kit.commit(engine(), tx -> tx.setStamped(prefix, v("held")));
        return null;
      });
      assertThat(pause.awaitReached(EngineFaultContract.WAIT)).as("a stamped commit reached COMMIT_CHECKED").isTrue();
      Background.start("point committer", () -> {
        Kit.commit(engine(), tx -> tx.set(point, v("x")));
        return null;
      }).await("a point commit while a stamped commit is held inside its commit");
      Background.start("stamped committer", () -> {
        Kit.commit(engine(), tx -> tx.setStamped(prefix, v("other")));
        return null;
      }).await("a stamped commit while another stamped commit is held inside its commit");
      assertThat(held.isDone()).as("the held commit returned before it was released").isFalse();
      pause.release();
      held.await("the held stamped commit once released");
    }
    byte[] end = prefix.clone();
    end[end.length - 1]++;
    List<io.tito.KeyValue> stamped = Kit.read(engine(), tx -> Kit.scan(tx, prefix, end, io.tito.ScanOptions.FORWARD));
    assertThat(stamped).hasSize(2);
  }
}
