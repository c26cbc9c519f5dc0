package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.key;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.Engine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link ChangeFeed} of engines that declare {@link Capability#CHANGE_FEED}: a versioned
 * snapshot plus the changes after its version reproduce the current state exactly (sets, point
 * clears and range clears, in commit order); changes are served only under a retention hold, and
 * the engine's maintenance never discards changes a hold covers; holds only move forward and, on
 * durable engines, survive a reopen. Engines without the capability must refuse {@code
 * changeFeed()}.
 */
public interface ChangeFeedContract extends EngineFixture {

  private ChangeFeed feed() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.CHANGE_FEED),
        "engine does not declare CHANGE_FEED");
    return engine().changeFeed();
  }

  /** Replays {@code commits} onto {@code model}. */
  static void replay(ReferenceModel model, List<ChangeFeed.Commit> commits) {
    for (ChangeFeed.Commit c : commits) {
      for (KeyRange r : c.clearedRanges()) {
        model.clearRange(r.begin(), r.end());
      }
      for (ChangeFeed.Write w : c.writes()) {
        if (w.value() == null) {
          model.clear(w.key());
        } else {
          model.set(w.key(), w.value());
        }
      }
    }
  }

  /** The commits in {@code (after, through]}. */
  static List<ChangeFeed.Commit> changes(ChangeFeed feed, long after, long through) {
    List<ChangeFeed.Commit> out = new ArrayList<>();
    try (ChangeFeed.ChangeCursor c = feed.changesAfter(after, through)) {
      c.forEachRemaining(out::add);
    }
    return out;
  }

  /** The contents of a versioned snapshot as a model. */
  static ReferenceModel contents(ChangeFeed.VersionedSnapshot snapshot) {
    ReferenceModel model = new ReferenceModel();
    for (KeyValue kv : Kit.scanAll(snapshot.transaction())) {
      model.set(kv.key(), kv.value());
    }
    return model;
  }

  @Test
  default void enginesWithoutTheCapabilityRefuseTheFeed() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.CHANGE_FEED), "engine has a change feed");
    assertThatThrownBy(() -> engine().changeFeed()).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void snapshotPlusChangesReproduceTheCurrentState() {
    ChangeFeed feed = feed();
    commit(engine(), tx -> {
      for (int i = 0; i < 10; i++) {
        tx.set(key("f/", i), v("before " + i));
      }
    });
    long hold = feed.placeHold("kit");
    ReferenceModel model;
    long snapshotVersion;
    try (ChangeFeed.VersionedSnapshot s = feed.openSnapshot()) {
      assertThat(s.version()).as("snapshot version vs hold").isGreaterThanOrEqualTo(hold);
      model = contents(s);
      snapshotVersion = s.version();
    }
    assertThat(model.size()).isEqualTo(10);
    commit(engine(), tx -> tx.set(key("f/", 3), v("changed")));
    commit(engine(), tx -> tx.clear(key("f/", 4)));
    commit(engine(), tx -> tx.clearRange(key("f/", 6), key("f/", 9)));
    commit(engine(), tx -> {
      tx.set(key("f/", 7), v("back"));
      tx.clearRange(key("f/", 0), key("f/", 2));
      tx.set(key("f/", 1), v("after clear"));
    });
    long current = feed.currentVersion();
    assertThat(current).as("versions grow with commits").isGreaterThan(snapshotVersion);
    List<ChangeFeed.Commit> commits = changes(feed, snapshotVersion, current);
    assertThat(commits).as("one entry per commit").hasSize(4);
    long previous = snapshotVersion;
    for (ChangeFeed.Commit c : commits) {
      assertThat(c.version()).as("commit order").isGreaterThan(previous).isLessThanOrEqualTo(current);
      previous = c.version();
    }
    replay(model, commits);
    try (ChangeFeed.VersionedSnapshot now = feed.openSnapshot()) {
      assertThat(now.version()).isEqualTo(current);
      assertThat(Kit.scanAll(now.transaction())).as("snapshot + changes = now").containsExactlyElementsOf(model.rows());
    }
    feed.releaseHold("kit");
  }

  /**
   * Per-commit granularity (issue 15: "every committed change ... in commit order with its commit
   * version and time"): a feed that returns net changes fails here.
   */
  @Test
  default void feedsReturnEachCommitWithItsOwnWritesVersionAndTime() {
    ChangeFeed feed = feed();
    assertThat(feed.everyCommit()).as("the feed returns every commit separately").isTrue();
    long hold = feed.placeHold("kit-granular");
    long before = System.currentTimeMillis();
    commit(engine(), tx -> tx.set(key("p/", 1), v("first")));
    long first = feed.currentVersion();
    commit(engine(), tx -> tx.set(key("p/", 1), v("second")));
    long second = feed.currentVersion();
    commit(engine(), tx -> tx.clear(key("p/", 1)));
    long third = feed.currentVersion();
    commit(engine(), tx -> {
      tx.clearRange(key("p/", 5), key("p/", 8));
      tx.set(key("p/", 6), v("inside"));
    });
    long fourth = feed.currentVersion();
    long after = System.currentTimeMillis();
    List<ChangeFeed.Commit> commits = changes(feed, hold, fourth);
    assertThat(commits).extracting(ChangeFeed.Commit::version).containsExactly(first, second, third, fourth);
    assertThat(commits.get(0).writes()).containsExactly(new ChangeFeed.Write(key("p/", 1), v("first")));
    assertThat(commits.get(1).writes()).containsExactly(new ChangeFeed.Write(key("p/", 1), v("second")));
    assertThat(commits.get(2).writes()).containsExactly(new ChangeFeed.Write(key("p/", 1), null));
    assertThat(commits.get(3).clearedRanges()).containsExactly(new KeyRange(key("p/", 5), key("p/", 8)));
    assertThat(commits.get(3).writes()).containsExactly(new ChangeFeed.Write(key("p/", 6), v("inside")));
    for (ChangeFeed.Commit c : commits) {
      assertThat(c.timeMillis()).as("commit time of %s", c.version()).isBetween(before - 1000, after + 1000);
      assertThat(c.clearedRanges().isEmpty() && c.writes().isEmpty()).as("an empty commit").isFalse();
    }
    assertThat(changes(feed, first, second)).as("an interval in between").extracting(ChangeFeed.Commit::version)
        .containsExactly(second);
    assertThat(changes(feed, fourth, fourth)).isEmpty();
    feed.releaseHold("kit-granular");
  }

  @Test
  default void everyCommitFeedsReproduceEachVersionInBetween() {
    ChangeFeed feed = feed();
    long hold = feed.placeHold("kit-each");
    ReferenceModel model;
    long start;
    try (ChangeFeed.VersionedSnapshot s = feed.openSnapshot()) {
      model = contents(s);
      start = s.version();
    }
    List<ReferenceModel> expected = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    ReferenceModel running = model.copy();
    for (int i = 0; i < 6; i++) {
      int n = i;
      commit(engine(), tx -> {
        tx.set(key("e/", n), v("v" + n));
        if (n % 3 == 2) {
          tx.clearRange(key("e/", n - 2), key("e/", n));
        }
      });
      running.set(key("e/", n), v("v" + n));
      if (n % 3 == 2) {
        running.clearRange(key("e/", n - 2), key("e/", n));
      }
      expected.add(running.copy());
      versions.add(feed.currentVersion());
    }
    assertThat(hold).isLessThanOrEqualTo(start);
    for (int i = 0; i < versions.size(); i++) {
      ReferenceModel at = model.copy();
      replay(at, changes(feed, start, versions.get(i)));
      assertThat(at.rows()).as("state at version %s", versions.get(i)).containsExactlyElementsOf(expected.get(i).rows());
    }
    feed.releaseHold("kit-each");
  }

  @Test
  default void changesAreServedOnlyUnderAHold() {
    ChangeFeed feed = feed();
    commit(engine(), tx -> tx.set(key("h/", 1), v("x")));
    long current = feed.currentVersion();
    assertThatThrownBy(() -> changes(feed, 0, current)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("hold");
    long hold = feed.placeHold("kit-only");
    assertThat(feed.placeHold("kit-only")).as("placing an existing hold keeps it").isEqualTo(hold);
    assertThat(feed.holds()).containsEntry("kit-only", hold);
    commit(engine(), tx -> tx.set(key("h/", 2), v("y")));
    assertThat(changes(feed, hold, feed.currentVersion())).isNotEmpty();
    assertThatThrownBy(() -> changes(feed, hold - 1, feed.currentVersion())).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> changes(feed, hold, feed.currentVersion() + 1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> feed.placeHold("no spaces")).isInstanceOf(InvalidArgumentException.class);
    feed.releaseHold("kit-only");
    assertThat(feed.holds()).doesNotContainKey("kit-only");
    assertThat(feed.holdVersion("kit-only")).isEmpty();
  }

  @Test
  default void holdsMoveForwardOnly() {
    ChangeFeed feed = feed();
    long hold = feed.placeHold("kit-move");
    commit(engine(), tx -> tx.set(key("m/", 1), v("x")));
    long current = feed.currentVersion();
    feed.moveHold("kit-move", current);
    assertThat(feed.holdVersion("kit-move")).hasValue(current);
    assertThatThrownBy(() -> feed.moveHold("kit-move", hold)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> feed.moveHold("kit-move", current + 1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> feed.moveHold("kit-absent", current)).isInstanceOf(io.tito.NotFoundException.class);
    feed.releaseHold("kit-move");
  }

  /** Tombstone collection and other maintenance keep every change a hold covers. */
  @Test
  default void maintenanceKeepsHeldChanges() {
    ChangeFeed feed = feed();
    commit(engine(), tx -> {
      for (int i = 0; i < 8; i++) {
        tx.set(key("g/", i), v("x" + i));
      }
    });
    feed.placeHold("kit-gc");
    ReferenceModel model;
    long start;
    try (ChangeFeed.VersionedSnapshot s = feed.openSnapshot()) {
      model = contents(s);
      start = s.version();
    }
    commit(engine(), tx -> tx.clear(key("g/", 1)));
    commit(engine(), tx -> tx.clearRange(key("g/", 4), key("g/", 7)));
    runMaintenance();
    replay(model, changes(feed, start, feed.currentVersion()));
    try (ChangeFeed.VersionedSnapshot now = feed.openSnapshot()) {
      assertThat(Kit.scanAll(now.transaction())).containsExactlyElementsOf(model.rows());
    }
    feed.releaseHold("kit-gc");
  }

  @Test
  default void holdsSurviveReopenOnDurableEngines() {
    ChangeFeed feed = feed();
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.DURABLE), "engine is not durable");
    long hold = feed.placeHold("kit-durable");
    ReferenceModel model;
    long start;
    try (ChangeFeed.VersionedSnapshot s = feed.openSnapshot()) {
      model = contents(s);
      start = s.version();
    }
    commit(engine(), tx -> tx.set(key("d/", 1), v("kept")));
    commit(engine(), tx -> tx.clear(key("d/", 1)));
    commit(engine(), tx -> tx.set(key("d/", 2), v("kept too")));
    Engine reopened = reopen();
    ChangeFeed again = reopened.changeFeed();
    assertThat(again.holdVersion("kit-durable")).hasValue(hold);
    assertThat(again.currentVersion()).as("versions survive reopen").isGreaterThan(start);
    replay(model, changes(again, start, again.currentVersion()));
    try (ChangeFeed.VersionedSnapshot now = again.openSnapshot()) {
      assertThat(Kit.scanAll(now.transaction())).containsExactlyElementsOf(model.rows());
    }
    again.releaseHold("kit-durable");
  }
}
