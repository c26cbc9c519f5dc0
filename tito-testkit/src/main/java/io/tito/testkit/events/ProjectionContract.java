package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.NotFoundException;
import io.tito.Stamp;
import io.tito.events.EventDeadLetter;
import io.tito.events.EventFilter;
import io.tito.events.ExpectedVersion;
import io.tito.events.ProjectionStatus;
import io.tito.events.Projections;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Projections: a run folds {@code $all} into the read model with the checkpoint in the same
 * transaction; rebuild equals a fresh run; filtered views; pause and resume; reset; dead letters
 * (list, requeue, delete); status with lag; run once; delete (its state, not its read model).
 */
public interface ProjectionContract extends EventStoreFixture {

  Duration WAIT = Duration.ofSeconds(60);

  /** Quick retries for tests. */
  SubscribeOptions FAST = SubscribeOptions.builder().maxAttempts(2)
      .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).pollInterval(Duration.ofMillis(20))
      .heartbeatInterval(Duration.ofMillis(100)).leaseTimeout(Duration.ofSeconds(2)).build();

  private void appendSome(int streams, int perStream, int offset) {
    for (int i = 0; i < perStream; i++) {
      for (int s = 0; s < streams; s++) {
        events().append((s % 2 == 0 ? "acct-" : "other-") + s, ExpectedVersion.ANY,
            event("Deposited", offset + i * streams + s));
      }
    }
  }

  @Test
  default void runUntilIdleFoldsEveryEventOnceAndReportsNoLag() {
    appendSome(4, 10, 0);
    CountingProjection p = new CountingProjection(tito(), "counts", EventFilter.ALL);
    Projections projections = events().projections();
    ProjectionStatus st = projections.runUntilIdle(p, FAST, WAIT);
    assertThat(st.caughtUp()).isTrue();
    assertThat(st.position()).isEqualTo(events().headPosition());
    Map<String, String> model = p.read(tito());
    assertThat(model).hasSize(4);
    long total = model.values().stream().mapToLong(v -> Long.parseLong(v.split("/")[0])).sum();
    assertThat(total).isEqualTo(40);
    appendSome(4, 1, 100);
    assertThat(projections.status("counts").lag()).isEqualTo(4);
    projections.runUntilIdle(p, FAST, WAIT);
    assertThat(p.read(tito()).get("acct-0")).startsWith("11/");
  }

  @Test
  default void rebuildEqualsAFreshRun() {
    appendSome(3, 20, 0);
    CountingProjection p = new CountingProjection(tito(), "rebuilt", EventFilter.streamPrefix("acct-"));
    Projections projections = events().projections();
    try (Subscription running = projections.start(p, FAST)) {
      appendSome(3, 5, 1000);
      Stamp head = events().headPosition();
      awaitPosition(projections, "rebuilt", head);
      projections.rebuild(p);        // while running: it replays from zero
      appendSome(3, 5, 2000);
      awaitPosition(projections, "rebuilt", events().headPosition());
    }
    Map<String, String> afterRebuild = p.read(tito());
    CountingProjection fresh = new CountingProjection(tito(), "fresh", EventFilter.streamPrefix("acct-"));
    projections.runUntilIdle(fresh, FAST, WAIT);
    assertThat(afterRebuild).isEqualTo(fresh.read(tito())).isNotEmpty();
    assertThat(afterRebuild.keySet()).allMatch(s -> s.startsWith("acct-"));
  }

  @Test
  default void pauseStopsFetchingAndResumeGoesOn() throws Exception {
    appendSome(2, 5, 0);
    CountingProjection p = new CountingProjection(tito(), "paused", EventFilter.ALL);
    Projections projections = events().projections();
    projections.runUntilIdle(p, FAST, WAIT);
    projections.pause("paused");
    try (Subscription running = projections.start(p, FAST)) {
      appendSome(2, 5, 100);
      ProjectionStatus st = projections.status("paused");
      assertThat(st.paused()).isTrue();
      assertThat(st.lag()).isEqualTo(10);
      projections.resume("paused");
      awaitPosition(projections, "paused", events().headPosition());
    }
    assertThat(p.read(tito()).get("acct-0")).startsWith("10/");
  }

  @Test
  default void resetCheckpointReplaysFromThere() {
    appendSome(1, 10, 0);
    CountingProjection p = new CountingProjection(tito(), "reset", EventFilter.ALL);
    Projections projections = events().projections();
    projections.runUntilIdle(p, FAST, WAIT);
    Stamp fifth = events().readAll(Stamp.ZERO, 5, EventFilter.ALL).lastPosition();
    p.strict = false;
    projections.resetCheckpoint("reset", fifth);
    assertThat(projections.status("reset").position()).isEqualTo(fifth);
    assertThat(projections.status("reset").lag()).isEqualTo(5);
    projections.runUntilIdle(p, FAST, WAIT);
    assertThat(p.calls.get()).isEqualTo(15);
    assertThat(p.read(tito()).get("acct-0")).startsWith("15/");
  }

  @Test
  default void failingEventsAreRetriedDeadLetteredRequeuedAndDeleted() {
    events().append("acct-1", ExpectedVersion.ANY, event("Deposited", 1));
    events().append("acct-2", ExpectedVersion.ANY, event("Poison", 2));
    events().append("acct-3", ExpectedVersion.ANY, event("Poison", 3));
    events().append("acct-1", ExpectedVersion.ANY, event("Deposited", 4));
    CountingProjection p = new CountingProjection(tito(), "dead", EventFilter.ALL);
    Projections projections = events().projections();
    projections.runUntilIdle(p, FAST, WAIT);
    List<EventDeadLetter> dead = projections.deadLetters("dead", 10);
    assertThat(dead).hasSize(2);
    assertThat(dead).allSatisfy(d -> {
      assertThat(d.attempts()).isEqualTo(2);
      assertThat(d.event().type()).isEqualTo("Poison");
      assertThat(d.error()).contains("poison event");
    });
    assertThat(p.read(tito())).containsEntry("acct-1", "2/5/2").doesNotContainKey("acct-2");
    p.poison = false;
    EventDeadLetter toRequeue = dead.stream().filter(d -> d.event().streamId().equals("acct-2")).findFirst().orElseThrow();
    EventDeadLetter toDelete = dead.stream().filter(d -> d.event().streamId().equals("acct-3")).findFirst().orElseThrow();
    projections.requeue("dead", toRequeue.id());
    assertThat(projections.deleteDeadLetter("dead", toDelete.id())).isTrue();
    assertThat(projections.deleteDeadLetter("dead", toDelete.id())).isFalse();
    try (Subscription running = projections.start(p, FAST)) {
      awaitModel(p, "acct-2", "1/2/1");
    }
    assertThat(projections.deadLetters("dead", 10)).isEmpty();
    assertThat(p.read(tito())).doesNotContainKey("acct-3");
  }

  @Test
  default void runOnceConsumesOneBatch() {
    appendSome(1, 7, 0);
    CountingProjection p = new CountingProjection(tito(), "once", EventFilter.ALL);
    SubscribeOptions batchOfThree = FAST.toBuilder().fetchSize(3).build();
    ProjectionStatus st = events().projections().runOnce(p, batchOfThree, WAIT);
    assertThat(st.lag()).isEqualTo(4);
    assertThat(p.read(tito()).get("acct-0")).startsWith("3/");
  }

  /**
   * Appends of several events: runs, checkpoints, lag, the head and a reset may all fall between
   * two events of one append.
   */
  @Test
  default void checkpointsAndLagCountEventsInsideAppends() {
    events().append(io.tito.events.AppendRequest.of("acct-0", ExpectedVersion.ANY,
        java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(i -> event("Deposited", i)).toList()));
    events().append(io.tito.events.AppendRequest.of("acct-1", ExpectedVersion.ANY,
        java.util.stream.IntStream.rangeClosed(8, 12).mapToObj(i -> event("Deposited", i)).toList()));
    List<io.tito.events.RecordedEvent> all = events().readAll(Stamp.ZERO, 100, EventFilter.ALL).events();
    assertThat(all).hasSize(12);
    assertThat(events().headPosition()).as("the head is the last event").isEqualTo(all.get(11).position());
    CountingProjection p = new CountingProjection(tito(), "inside", EventFilter.ALL);
    Projections projections = events().projections();
    ProjectionStatus st = projections.runOnce(p, FAST.toBuilder().fetchSize(3).build(), WAIT);
    assertThat(st.position()).isEqualTo(all.get(2).position());
    assertThat(st.lag()).isEqualTo(9);
    assertThat(st.head()).isEqualTo(all.get(11).position());
    assertThat(p.read(tito())).containsEntry("acct-0", "3/6/3");
    projections.runUntilIdle(p, FAST, WAIT);
    assertThat(p.calls.get()).isEqualTo(12);
    assertThat(p.read(tito())).containsEntry("acct-0", "7/28/7").containsEntry("acct-1", "5/50/5");
    assertThat(projections.status("inside").lag()).isZero();
    p.strict = false;
    projections.resetCheckpoint("inside", all.get(8).position());
    assertThat(projections.status("inside").lag()).isEqualTo(3);
    projections.runUntilIdle(p, FAST, WAIT);
    assertThat(p.calls.get()).isEqualTo(15);
    assertThat(p.read(tito())).containsEntry("acct-1", "8/83/5");
  }

  @Test
  default void deleteForgetsItsStateButLeavesTheReadModel() {
    events().append("acct-1", ExpectedVersion.ANY, event("Deposited", 1));
    events().append("acct-2", ExpectedVersion.ANY, event("Poison", 2));
    CountingProjection p = new CountingProjection(tito(), "deleted", EventFilter.ALL);
    Projections projections = events().projections();
    projections.runUntilIdle(p, FAST, WAIT);
    assertThat(projections.deadLetters("deleted", 10)).hasSize(1);
    try (Subscription running = projections.start(p, FAST)) {
      events().append("acct-1", ExpectedVersion.ANY, event("Deposited", 3));
      awaitPosition(projections, "deleted", events().headPosition()); // the runner is a live member
      assertThatThrownBy(() -> projections.delete("deleted")).as("a runner is live")
          .isInstanceOf(io.tito.InvalidArgumentException.class);
      assertThat(projections.status("deleted").position()).isEqualTo(events().headPosition());
    }
    projections.pause("deleted");
    assertThat(projections.delete("deleted")).isTrue();
    assertThat(projections.delete("deleted")).isFalse();
    assertThatThrownBy(() -> projections.status("deleted")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> projections.deadLetters("deleted", 10)).isInstanceOf(NotFoundException.class);
    assertThat(projections.names()).doesNotContain("deleted");
    assertThat(p.read(tito())).as("the read model is the application's")
        .containsEntry("acct-1", "2/4/2").doesNotContainKey("acct-2");
    p.poison = false;
    p.strict = false;
    ProjectionStatus again = projections.runUntilIdle(p, FAST, WAIT);
    assertThat(again.paused()).as("the pause flag went with it").isFalse();
    assertThat(again.caughtUp()).isTrue();
    assertThat(projections.deadLetters("deleted", 10)).as("its dead letters went with it").isEmpty();
    assertThat(p.read(tito())).as("it started anew from the beginning of $all")
        .containsEntry("acct-1", "4/8/2").containsEntry("acct-2", "1/2/1");
    assertThat(projections.names()).contains("deleted");
  }

  @Test
  default void unknownProjectionsAndBadNamesAreRefused() {
    Projections projections = events().projections();
    assertThatThrownBy(() -> projections.status("never")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> projections.pause("never")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> projections.status("")).isInstanceOf(io.tito.InvalidArgumentException.class);
  }

  /** Polls the status until the projection consumed {@code target} (or fails after {@link #WAIT}). */
  private void awaitPosition(Projections projections, String name, Stamp target) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (projections.status(name).position().compareTo(target) < 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " did not reach " + target + ": " + projections.status(name));
      }
      Thread.onSpinWait();
      pause();
    }
  }

  private void awaitModel(CountingProjection p, String stream, String expected) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!expected.equals(p.read(tito()).get(stream))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(p.name + " read model never had " + stream + "=" + expected + ": " + p.read(tito()));
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
