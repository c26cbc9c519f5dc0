package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static io.tito.testkit.events.EventStoreFixture.n;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.RetryPolicy;
import io.tito.Stamp;
import io.tito.events.AllSlice;
import io.tito.events.AppendRequest;
import io.tito.events.AppendResult;
import io.tito.events.EventFilter;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code $all}: one total order over every stream, positions as the appends reported them,
 * paging and filters that resume exactly after the last position scanned, and above all no
 * skipped late committer: a transaction held open while others commit lands after everything a
 * reader has already seen. With commit stamps, appends to distinct streams do not conflict.
 */
public interface AllStreamContract extends EventStoreFixture {

  private List<RecordedEvent> readEverything(Stamp after, int page, EventFilter filter) {
    List<RecordedEvent> out = new ArrayList<>();
    Stamp from = after;
    while (true) {
      AllSlice s = events().readAll(from, page, filter);
      out.addAll(s.events());
      assertThat(s.lastPosition()).isGreaterThanOrEqualTo(from);
      from = s.lastPosition();
      if (s.isEnd()) {
        return out;
      }
    }
  }

  @Test
  default void allHoldsEveryStreamInCommitOrderWithTheReportedPositions() {
    AppendResult a1 = events().append("a", ExpectedVersion.ANY, event("E", 1));
    AppendResult b = events().append(AppendRequest.of("b", ExpectedVersion.ANY,
        List.of(event("E", 2), event("E", 3), event("E", 4))));
    AppendResult a2 = events().append("a", ExpectedVersion.ANY, event("E", 5));
    List<RecordedEvent> all = readEverything(Stamp.ZERO, 100, EventFilter.ALL);
    assertThat(all).extracting(EventStoreFixture::n).containsExactly(1, 2, 3, 4, 5);
    assertThat(all).extracting(RecordedEvent::streamId).containsExactly("a", "b", "b", "b", "a");
    assertThat(all).extracting(RecordedEvent::version).containsExactly(1L, 1L, 2L, 3L, 2L);
    List<Stamp> positions = all.stream().map(RecordedEvent::position).toList();
    assertThat(positions).isSorted().doesNotHaveDuplicates();
    assertThat(positions.get(0)).isEqualTo(a1.firstPosition());
    assertThat(positions.get(1)).isEqualTo(b.firstPosition());
    assertThat(positions.get(2)).isEqualTo(b.firstPosition().next());
    assertThat(positions.get(3)).isEqualTo(b.firstPosition().next().next());
    assertThat(positions.get(4)).isEqualTo(a2.firstPosition());
    assertThat(events().headPosition()).isEqualTo(a2.firstPosition());
    for (int page = 1; page <= 6; page++) {
      assertThat(readEverything(Stamp.ZERO, page, EventFilter.ALL)).as("page %d", page).isEqualTo(all)
          .extracting(EventStoreFixture::n).containsExactly(1, 2, 3, 4, 5);
    }
    assertThat(readEverything(positions.get(2), 2, EventFilter.ALL)).extracting(EventStoreFixture::n)
        .containsExactly(4, 5);
  }

  @Test
  default void filtersByTypeAndStreamPrefixAndStillAdvance() {
    for (int i = 1; i <= 40; i++) {
      events().append((i % 2 == 0 ? "order-" : "user-") + (i % 5), ExpectedVersion.ANY,
          event(i % 4 == 0 ? "Big" : "Small", i));
    }
    assertThat(readEverything(Stamp.ZERO, 3, EventFilter.streamPrefix("order-"))).extracting(EventStoreFixture::n)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).filter(i -> i % 2 == 0).boxed().toList());
    assertThat(readEverything(Stamp.ZERO, 2, EventFilter.types("Big").andStreamPrefix("order-")))
        .extracting(EventStoreFixture::n)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).filter(i -> i % 4 == 0).boxed().toList());
    AllSlice none = events().readAll(Stamp.ZERO, 1, EventFilter.types("Nothing"));
    assertThat(none.events()).isEmpty();
    assertThat(none.lastPosition()).as("a page of filtered-out events still advances").isGreaterThan(Stamp.ZERO);
    assertThat(readEverything(Stamp.ZERO, 1, EventFilter.types("Nothing"))).isEmpty();
  }

  /**
   * A writer appends inside a transaction and holds it open; meanwhile other appends commit and a
   * reader consumes {@code $all} up to its end. Then the writer commits: the reader, resuming
   * from its last position, must get the late event. Repeated to catch a lucky pass.
   */
  @Test
  default void aReaderNeverSkipsALateCommitter() throws Exception {
    Stamp checkpoint = Stamp.ZERO;
    List<Integer> seen = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      int late = 1000 + round;
      String lateStream = "late-" + round;
      CountDownLatch appended = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> tito().inTransaction(tx -> {
        events().append(tx, AppendRequest.of(lateStream, ExpectedVersion.ANY, List.of(event("Late", late))));
        appended.countDown();
        try {
          assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
      assertThat(appended.await(60, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 3; i++) {
        events().append("early-" + i, ExpectedVersion.ANY, event("Early", round * 10 + i));
      }
      AllSlice before = events().readAll(checkpoint, 100, EventFilter.ALL);
      before.events().forEach(e -> seen.add(n(e)));
      checkpoint = before.lastPosition();
      release.countDown();
      writer.get(60, TimeUnit.SECONDS);
      AllSlice after = events().readAll(checkpoint, 100, EventFilter.ALL);
      after.events().forEach(e -> seen.add(n(e)));
      checkpoint = after.lastPosition();
      assertThat(seen).as("round %d", round).contains(late);
    }
    List<Integer> everything = readEverything(Stamp.ZERO, 100, EventFilter.ALL).stream()
        .map(EventStoreFixture::n).toList();
    assertThat(seen).as("what the resuming reader saw, in order").containsExactlyElementsOf(everything);
    assertThat(everything).hasSize(20);
  }

  /**
   * The late committer that only engines committing in parallel have: an append held <em>inside
   * its commit</em> (its stamp taken, not yet visible) while appends to other streams commit and
   * become visible. A reader of {@code $all} meanwhile, resuming from its last position once the
   * held append committed, must get it (the engine's stamp horizon keeps the reader below it
   * while it is in flight). Runs where the module declares the {@code COMMIT_CHECKED} pause point.
   */
  @Test
  default void aReaderNeverSkipsAnAppendHeldInsideItsCommit() throws Exception {
    io.tito.testkit.FaultPoints faults = faults().orElse(null);
    Assumptions.assumeTrue(faults != null
        && faults.supported().contains(io.tito.testkit.FaultPoints.Point.COMMIT_CHECKED),
        "the module declares no COMMIT_CHECKED pause point");
    events().append("warm-up", ExpectedVersion.ANY, event("Early", 0));
    List<Integer> seen = new ArrayList<>();
    Stamp checkpoint = Stamp.ZERO;
    try (io.tito.testkit.Pause pause = faults.arm(io.tito.testkit.FaultPoints.Point.COMMIT_CHECKED)) {
      CompletableFuture<AppendResult> held = CompletableFuture.supplyAsync(
          () -> events().append("held", ExpectedVersion.ANY, event("Late", 1000)));
      assertThat(pause.awaitReached(java.time.Duration.ofSeconds(60))).as("the append reached COMMIT_CHECKED").isTrue();
      for (int i = 1; i <= 3; i++) {
        events().append("early-" + i, ExpectedVersion.ANY, event("Early", i));
      }
      AllSlice before = events().readAll(checkpoint, 100, EventFilter.ALL);
      before.events().forEach(e -> seen.add(n(e)));
      checkpoint = before.lastPosition();
      assertThat(held).as("the held append returned before it was released").isNotDone();
      pause.release();
      held.get(60, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (seen.size() < 5) {
      AllSlice next = events().readAll(checkpoint, 100, EventFilter.ALL);
      next.events().forEach(e -> seen.add(n(e)));
      checkpoint = next.lastPosition();
      assertThat(System.nanoTime() - deadline).as("the resuming reader got every append in time; it has %s", seen)
          .isNegative();
    }
    List<Integer> everything = readEverything(Stamp.ZERO, 100, EventFilter.ALL).stream()
        .map(EventStoreFixture::n).toList();
    assertThat(seen).as("what the resuming reader saw, in order").containsExactlyElementsOf(everything)
        .containsExactlyInAnyOrder(0, 1, 2, 3, 1000);
  }

  /** Two transactions append to distinct streams from one snapshot: with stamps neither conflicts. */
  @Test
  default void appendsToDistinctStreamsDoNotConflict() throws Exception {
    Assumptions.assumeTrue(events().usesCommitStamps(), "engine falls back to a global sequence key");
    CyclicBarrier bothAppended = new CyclicBarrier(2);
    List<Callable<Long>> tasks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String stream = "distinct-" + i;
      tasks.add(() -> tito().transaction(RetryPolicy.NONE, tx -> {
        AppendResult r = events().append(tx, AppendRequest.of(stream, ExpectedVersion.NO_STREAM,
            List.of(event("E", 1))));
        try {
          bothAppended.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return r.lastVersion();
      }));
    }
    assertThat(EventStoreFixture.concurrently(tasks)).containsExactly(1L, 1L);
    assertThat(events().readAll(Stamp.ZERO, 10, EventFilter.ALL).events()).hasSize(2);
  }
}
