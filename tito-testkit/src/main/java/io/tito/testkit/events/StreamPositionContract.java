package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static io.tito.testkit.events.EventStoreFixture.n;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Stamp;
import io.tito.events.AllSlice;
import io.tito.events.AppendRequest;
import io.tito.events.AppendResult;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.events.StreamSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code $all} positions seen from streams, and what tombstones and truncation do to {@code $all}:
 * an event read from its stream carries the same position as in {@code $all} (every way of
 * reading, appends in one transaction, idempotent retries), and removed events leave no entry in
 * {@code $all} (lag, head, projections and subscriptions never meet them).
 */
public interface StreamPositionContract extends EventStoreFixture {

  private Map<String, Stamp> positionsInAll() {
    Map<String, Stamp> out = new HashMap<>();
    Stamp after = Stamp.ZERO;
    while (true) {
      AllSlice s = events().readAll(after, 3, EventFilter.ALL);
      s.events().forEach(e -> out.put(e.streamId() + "@" + e.version(), e.position()));
      if (s.isEnd()) {
        return out;
      }
      after = s.lastPosition();
    }
  }

  private List<RecordedEvent> readStream(String stream, int page, boolean backward, EventFilter filter) {
    List<RecordedEvent> out = new ArrayList<>();
    long from = backward ? EventStore.END : 1;
    while (true) {
      StreamSlice s = events().readStream(stream, from, page, backward, filter);
      out.addAll(s.events());
      if (s.isEnd()) {
        return out;
      }
      from = s.nextVersion();
    }
  }

  @Test
  default void eventsReadFromAStreamCarryTheirAllPositions() {
    AppendResult a1 = events().append("pa", ExpectedVersion.NO_STREAM, event("A", 1), event("B", 2));
    events().append("pb", ExpectedVersion.NO_STREAM, event("A", 3));
    AppendResult a2 = events().append("pa", ExpectedVersion.exact(2), event("A", 4), event("B", 5), event("A", 6));
    // Two appends to one stream and one to another in one transaction.
    tito().inTransaction(tx -> {
      events().append(tx, AppendRequest.of("pa", ExpectedVersion.exact(5), List.of(event("B", 7))));
      events().append(tx, AppendRequest.of("pb", ExpectedVersion.exact(1), List.of(event("A", 8), event("A", 9))));
      events().append(tx, AppendRequest.of("pa", ExpectedVersion.exact(6), List.of(event("A", 10))));
    });
    Map<String, Stamp> inAll = positionsInAll();
    assertThat(inAll).hasSize(10).doesNotContainValue(null);
    assertThat(inAll.get("pa@1")).isEqualTo(a1.firstPosition());
    assertThat(inAll.get("pa@2")).isEqualTo(a1.firstPosition().next());
    assertThat(inAll.get("pa@3")).isEqualTo(a2.firstPosition());
    for (String stream : List.of("pa", "pb")) {
      for (int page : new int[] {1, 2, 100}) {
        for (boolean backward : new boolean[] {false, true}) {
          for (EventFilter filter : List.of(EventFilter.ALL, EventFilter.types("A"))) {
            List<RecordedEvent> read = readStream(stream, page, backward, filter);
            assertThat(read).as("%s page %d backward %s", stream, page, backward).isNotEmpty();
            for (RecordedEvent e : read) {
              assertThat(e.position()).as("%s@%d page %d backward %s", stream, e.version(), page, backward)
                  .isEqualTo(inAll.get(stream + "@" + e.version()));
            }
          }
        }
      }
    }
  }

  @Test
  default void aRecognisedRetryReportsTheOriginalPositionAndTruncationKeepsTheRest() {
    AppendRequest req = AppendRequest.of("retry", ExpectedVersion.ANY,
        IntStream.rangeClosed(1, 6).mapToObj(i -> event("E", i)).toList()).withIdempotencyKey("cmd-1");
    AppendResult first = events().append(req);
    AppendResult again = events().append(req);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.firstPosition()).isEqualTo(first.firstPosition());
    events().append("retry", ExpectedVersion.exact(6), event("E", 7));
    events().truncateBefore("retry", 4);
    Map<String, Stamp> inAll = positionsInAll();
    List<RecordedEvent> kept = readStream("retry", 2, false, EventFilter.ALL);
    assertThat(kept).extracting(RecordedEvent::version).containsExactly(4L, 5L, 6L, 7L);
    for (RecordedEvent e : kept) {
      assertThat(e.position()).isNotNull().isEqualTo(inAll.get("retry@" + e.version()));
    }
    Stamp fourth = first.firstPosition().next().next().next();
    assertThat(kept.get(0).position()).isEqualTo(fourth);
  }

  @Test
  default void tombstonesAndTruncationRemoveTheirAllEntries() {
    events().append("keep", ExpectedVersion.ANY, event("A", 1));
    events().append("gone", ExpectedVersion.ANY, event("A", 2), event("A", 3));
    events().append("cut", ExpectedVersion.ANY, event("A", 4), event("A", 5), event("A", 6));
    events().append("gone", ExpectedVersion.ANY, event("A", 7));
    events().append("cut", ExpectedVersion.ANY, event("A", 8), event("A", 9), event("A", 11));
    AppendResult last = events().append("gone", ExpectedVersion.ANY, event("A", 10));
    assertThat(events().headPosition()).isEqualTo(last.firstPosition());

    CountingProjection p = new CountingProjection(tito(), "tomb", EventFilter.ALL);
    events().projections().runUntilIdle(p, Duration.ofSeconds(60));
    assertThat(events().projections().status("tomb").lag()).isZero();

    events().truncateBefore("cut", 2);   // inside the first append of "cut"
    events().truncateBefore("cut", 5);   // the rest of it and the first event of its second
    events().tombstone("gone");
    events().tombstone("gone");          // idempotent

    // Lag counts raw $all entries: after a reset to the start only the live events are left.
    events().projections().resetCheckpoint("tomb", Stamp.ZERO);
    assertThat(events().projections().status("tomb").lag()).as("$all entries left").isEqualTo(3);
    Map<String, Stamp> inAll = positionsInAll();
    assertThat(inAll.keySet()).containsExactlyInAnyOrder("keep@1", "cut@5", "cut@6");
    assertThat(events().headPosition()).as("the head moves back to the last live event")
        .isEqualTo(inAll.get("cut@6"));

    // A fresh projection over the store sees only the live events, and catches up to its end.
    CountingProjection fresh = new CountingProjection(tito(), "fresh", EventFilter.ALL);
    events().projections().runUntilIdle(fresh, Duration.ofSeconds(60));
    assertThat(fresh.read(tito())).containsOnly(Map.entry("keep", "1/1/1"), Map.entry("cut", "2/20/6"));
    List<Integer> ns = readStream("cut", 10, false, EventFilter.ALL).stream().map(e -> n(e)).toList();
    assertThat(ns).containsExactly(9, 11);
  }
}
