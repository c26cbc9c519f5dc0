package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static io.tito.testkit.events.EventStoreFixture.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tito.InvalidArgumentException;
import io.tito.LimitExceededException;
import io.tito.events.AppendRequest;
import io.tito.events.AppendResult;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.events.StreamDeletedException;
import io.tito.events.StreamSlice;
import io.tito.events.WrongExpectedVersionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Streams: dense versions, expected versions of every kind with the actual version in the error,
 * every event field round-tripped, paging forward and backward, type filters, tombstones,
 * truncation, appends in the caller's transaction, and bad input refused with nothing written.
 */
public interface StreamContract extends EventStoreFixture {

  private List<Integer> readAllForward(String stream, int page) {
    return readForward(stream, page, EventStoreFixture::n);
  }

  /** Every event of {@code stream}, read forward in pages of {@code page}, as {@code number} gives them. */
  private List<Integer> readForward(String stream, int page, java.util.function.ToIntFunction<RecordedEvent> number) {
    List<Integer> out = new ArrayList<>();
    long from = 1;
    while (true) {
      StreamSlice s = events().readStream(stream, from, page);
      s.events().forEach(e -> out.add(number.applyAsInt(e)));
      if (s.isEnd()) {
        return out;
      }
      from = s.nextVersion();
    }
  }

  @Test
  default void versionsAreDenseAndEveryFieldRoundTrips() {
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2026-03-01T10:15:30.123456Z");
    EventData full = EventData.builder("Placed").json("{\"sku\":\"a\\u0000b\",\"qty\":-3}").eventId(id)
        .header("tenant", "t1").header("trace", "x").causationId("cmd-1").correlationId("conv-9")
        .createdAt(at).build();
    AppendResult first = events().append("order-1", ExpectedVersion.NO_STREAM, full);
    assertThat(first.firstVersion()).isEqualTo(1);
    assertThat(first.lastVersion()).isEqualTo(1);
    assertThat(first.duplicate()).isFalse();
    AppendResult second = events().append("order-1", ExpectedVersion.exact(1), event("Paid", 2), event("Shipped", 3));
    assertThat(second.firstVersion()).isEqualTo(2);
    assertThat(second.lastVersion()).isEqualTo(3);
    StreamSlice s = events().readStream("order-1", 1, 10);
    assertThat(s.events()).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
    assertThat(s.streamVersion()).isEqualTo(3);
    assertThat(s.isEnd()).isTrue();
    RecordedEvent e = s.events().get(0);
    assertThat(e.eventId()).isEqualTo(id);
    assertThat(e.type()).isEqualTo("Placed");
    assertThat(e.json()).isEqualTo("{\"sku\":\"a\\u0000b\",\"qty\":-3}");
    assertThat(e.headers()).containsEntry("tenant", "t1").containsEntry("trace", "x").hasSize(2);
    assertThat(e.causationId()).isEqualTo("cmd-1");
    assertThat(e.correlationId()).isEqualTo("conv-9");
    assertThat(e.createdAt()).isEqualTo(at);
    assertThat(e.streamId()).isEqualTo("order-1");
    assertThat(s.events().get(1).causationId()).isNull();
    assertThat(s.events().get(1).createdAt()).as("defaulted from the store clock").isNotNull();
  }

  @Test
  default void expectedVersionsOfEveryKind() {
    WrongExpectedVersionException exists = catchThrowableOfType(WrongExpectedVersionException.class,
        () -> events().append("s", ExpectedVersion.STREAM_EXISTS, event("A", 1)));
    assertThat(exists.actualVersion()).isZero();
    assertThat(exists.streamId()).isEqualTo("s");
    WrongExpectedVersionException exact = catchThrowableOfType(WrongExpectedVersionException.class,
        () -> events().append("s", ExpectedVersion.exact(1), event("A", 1)));
    assertThat(exact.actualVersion()).isZero();
    events().append("s", ExpectedVersion.exact(0), event("A", 1));
    events().append("s", ExpectedVersion.STREAM_EXISTS, event("A", 2));
    events().append("s", ExpectedVersion.ANY, event("A", 3));
    WrongExpectedVersionException none = catchThrowableOfType(WrongExpectedVersionException.class,
        () -> events().append("s", ExpectedVersion.NO_STREAM, event("A", 9)));
    assertThat(none.actualVersion()).isEqualTo(3);
    assertThat(none.expected()).isEqualTo(ExpectedVersion.NO_STREAM);
    WrongExpectedVersionException stale = catchThrowableOfType(WrongExpectedVersionException.class,
        () -> events().append("s", ExpectedVersion.exact(2), event("A", 9)));
    assertThat(stale.actualVersion()).isEqualTo(3);
    assertThat(stale.isRetriable()).isFalse();
    assertThat(readAllForward("s", 10)).containsExactly(1, 2, 3);
  }

  @Test
  default void pagesForwardAndBackwardWithoutSkipsOrRepeats() {
    List<EventData> batch = IntStream.rangeClosed(1, 23).mapToObj(i -> event("E", i)).toList();
    events().append(AppendRequest.of("p", ExpectedVersion.NO_STREAM, batch));
    for (int page : new int[] {1, 4, 23, 50}) {
      assertThat(readAllForward("p", page)).as("forward, page %d", page)
          .containsExactlyElementsOf(IntStream.rangeClosed(1, 23).boxed().toList());
      List<Integer> back = new ArrayList<>();
      long from = EventStore.END;
      while (true) {
        StreamSlice s = events().readStreamBackward("p", from, page);
        s.events().forEach(e -> back.add(n(e)));
        if (s.isEnd()) {
          break;
        }
        from = s.nextVersion();
      }
      List<Integer> expected = new ArrayList<>(IntStream.rangeClosed(1, 23).boxed().toList());
      Collections.reverse(expected);
      assertThat(back).as("backward, page %d", page).containsExactlyElementsOf(expected);
    }
    assertThat(events().readStream("p", 20, 10).events()).extracting(RecordedEvent::version)
        .containsExactly(20L, 21L, 22L, 23L);
    assertThat(events().readStreamBackward("p", 3, 10).events()).extracting(RecordedEvent::version)
        .containsExactly(3L, 2L, 1L);
    assertThat(events().readStream("missing", 1, 10).events()).isEmpty();
    assertThat(events().readStream("missing", 1, 10).isEnd()).isTrue();
  }

  @Test
  default void typeFilterOnAStream() {
    events().append(AppendRequest.of("f", ExpectedVersion.ANY, IntStream.rangeClosed(1, 30)
        .mapToObj(i -> event(i % 3 == 0 ? "Keep" : "Skip", i)).toList()));
    List<Integer> kept = new ArrayList<>();
    long from = 1;
    while (from >= 0) {
      StreamSlice s = events().readStream("f", from, 2, false, EventFilter.types("Keep"));
      s.events().forEach(e -> kept.add(n(e)));
      from = s.nextVersion();
    }
    assertThat(kept).containsExactly(3, 6, 9, 12, 15, 18, 21, 24, 27, 30);
  }

  @Test
  default void tombstoneRemovesTheStreamForGood() {
    events().append("gone", ExpectedVersion.ANY, event("A", 1), event("A", 2));
    events().append("kept", ExpectedVersion.ANY, event("A", 3));
    events().tombstone("gone");
    assertThatThrownBy(() -> events().readStream("gone", 1, 10)).isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> events().append("gone", ExpectedVersion.ANY, event("A", 4)))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(events().streamInfo("gone").deleted()).isTrue();
    assertThat(events().readAll(io.tito.Stamp.ZERO, 100, EventFilter.ALL).events())
        .extracting(RecordedEvent::streamId).containsExactly("kept");
    events().tombstone("gone"); // idempotent
  }

  @Test
  default void truncateBeforeKeepsVersionsAndAppends() {
    events().append(AppendRequest.of("t", ExpectedVersion.ANY,
        IntStream.rangeClosed(1, 10).mapToObj(i -> event("E", i)).toList()));
    events().truncateBefore("t", 6);
    assertThat(readAllForward("t", 3)).containsExactly(6, 7, 8, 9, 10);
    assertThat(events().readStreamBackward("t", EventStore.END, 100).events()).hasSize(5);
    assertThat(events().streamInfo("t").truncatedBefore()).isEqualTo(6);
    events().truncateBefore("t", 3); // below: nothing
    events().append("t", ExpectedVersion.exact(10), event("E", 11));
    assertThat(readAllForward("t", 100)).containsExactly(6, 7, 8, 9, 10, 11);
    assertThat(events().readAll(io.tito.Stamp.ZERO, 100, EventFilter.ALL).events()).hasSize(6);
    assertThatThrownBy(() -> events().truncateBefore("t", 13)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().truncateBefore("t", 0)).isInstanceOf(InvalidArgumentException.class);
  }

  /** The {@code n} of a payload with more fields than {@link EventStoreFixture#event}'s. */
  private static int bigN(RecordedEvent e) {
    return ((Number) e.payloadAs(java.util.Map.class).get("n")).intValue();
  }

  private List<Integer> readBig(String stream, int page) {
    return readForward(stream, page, StreamContract::bigN);
  }

  @Test
  default void largeAppendsReadWholeThroughTruncationsInsideThem() {
    // Payloads of about 30 KB: an append of them is stored in several rows, and truncation
    // points fall inside rows.
    String pad = "x".repeat(30_000);
    List<EventData> batch = IntStream.rangeClosed(1, 7).mapToObj(i -> EventData.ofJson(i % 2 == 0 ? "Even" : "Odd",
        "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}")).toList();
    AppendResult r = events().append(AppendRequest.of("big", ExpectedVersion.NO_STREAM, batch));
    for (int page : new int[] {1, 3, 100}) {
      assertThat(readBig("big", page)).as("page %d", page).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }
    assertThat(events().readStreamBackward("big", 5, 2).events()).extracting(e -> bigN(e)).containsExactly(5, 4);
    assertThat(events().readStream("big", 2, 10, false, EventFilter.types("Even")).events())
        .extracting(e -> bigN(e)).containsExactly(2, 4, 6);
    List<RecordedEvent> all = events().readAll(io.tito.Stamp.ZERO, 100, EventFilter.ALL).events();
    assertThat(all).extracting(e -> bigN(e)).containsExactly(1, 2, 3, 4, 5, 6, 7);
    for (int i = 0; i < all.size(); i++) {
      RecordedEvent e = all.get(i);
      assertThat(e.position().commitVersion()).isEqualTo(r.firstPosition().commitVersion());
      assertThat(e.position().order()).isEqualTo(r.firstPosition().order() + i);
      assertThat(e.payloadAs(java.util.Map.class).get("pad")).isEqualTo(pad);
      assertThat(events().readStream("big", e.version(), 1).events().get(0).position()).isEqualTo(e.position());
    }
    for (long before : new long[] {2, 4, 5, 7}) {
      events().truncateBefore("big", before);
      List<Integer> left = IntStream.rangeClosed((int) before, 7).boxed().toList();
      assertThat(readBig("big", 2)).as("truncated before %d", before).containsExactlyElementsOf(left);
      List<Integer> back = new ArrayList<>(left);
      Collections.reverse(back);
      assertThat(events().readStreamBackward("big", EventStore.END, 100).events()).extracting(e -> bigN(e))
          .containsExactlyElementsOf(back);
      assertThat(events().readStream("big", 1, 100, false, EventFilter.types("Odd")).events())
          .extracting(e -> bigN(e)).containsExactlyElementsOf(left.stream().filter(n -> n % 2 == 1).toList());
      assertThat(events().readAll(io.tito.Stamp.ZERO, 100, EventFilter.ALL).events()).extracting(e -> bigN(e))
          .containsExactlyElementsOf(left);
    }
    events().truncateBefore("big", 8);
    assertThat(events().readStream("big", 1, 100).events()).isEmpty();
    assertThat(events().readAll(io.tito.Stamp.ZERO, 100, EventFilter.ALL).events()).isEmpty();
    events().append("big", ExpectedVersion.exact(7), event("Odd", 8), event("Even", 9));
    assertThat(readBig("big", 1)).containsExactly(8, 9);
    assertThat(events().readAll(io.tito.Stamp.ZERO, 100, EventFilter.ALL).events()).extracting(e -> bigN(e))
        .containsExactly(8, 9);
  }

  /**
   * Random appends (some large enough to take several rows) and truncations (often inside an
   * append) of one stream, checked after each step against a model: stream pages forward and
   * backward, a type filter, and the stream's events in {@code $all} with the same positions.
   */
  @Test
  default void randomAppendsAndTruncationsReadAsAModel() {
    long seed = Long.getLong("tito.testkit.seed", System.nanoTime());
    java.util.Random random = new java.util.Random(seed);
    String pad = "p".repeat(25_000);
    List<Integer> model = new ArrayList<>(); // n of version v at index v - 1
    long lowest = 1;
    int next = 1;
    for (int step = 0; step < 24; step++) {
      String at = "seed " + seed + ", step " + step;
      if (model.isEmpty() || random.nextInt(3) > 0) {
        int count = 1 + random.nextInt(8);
        List<EventData> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          int n = next++;
          String body = random.nextInt(4) == 0 ? ",\"pad\":\"" + pad + "\"" : "";
          batch.add(EventData.ofJson(n % 2 == 0 ? "Even" : "Odd", "{\"n\":" + n + body + "}"));
          model.add(n);
        }
        events().append(AppendRequest.of("r", ExpectedVersion.exact(model.size() - count), batch));
      } else {
        long before = lowest + random.nextInt((int) (model.size() + 2 - lowest));
        events().truncateBefore("r", before);
        lowest = Math.max(lowest, before);
      }
      List<Integer> left = model.subList((int) lowest - 1, model.size());
      assertThat(readBig("r", 1 + random.nextInt(5))).as(at).containsExactlyElementsOf(left);
      List<Integer> back = new ArrayList<>();
      long from = EventStore.END;
      while (true) {
        StreamSlice slice = events().readStreamBackward("r", from, 1 + random.nextInt(5));
        slice.events().forEach(e -> back.add(bigN(e)));
        if (slice.isEnd()) {
          break;
        }
        from = slice.nextVersion();
      }
      List<Integer> reversed = new ArrayList<>(left);
      Collections.reverse(reversed);
      assertThat(back).as(at).containsExactlyElementsOf(reversed);
      List<Integer> odd = new ArrayList<>();
      from = 1;
      while (from >= 0) {
        StreamSlice slice = events().readStream("r", from, 1 + random.nextInt(3), false, EventFilter.types("Odd"));
        slice.events().forEach(e -> odd.add(bigN(e)));
        from = slice.nextVersion();
      }
      assertThat(odd).as(at).containsExactlyElementsOf(left.stream().filter(n -> n % 2 == 1).toList());
      List<RecordedEvent> all = new ArrayList<>();
      io.tito.Stamp after = io.tito.Stamp.ZERO;
      while (true) {
        io.tito.events.AllSlice slice = events().readAll(after, 1 + random.nextInt(6), EventFilter.streamPrefix("r"));
        all.addAll(slice.events());
        after = slice.lastPosition();
        if (slice.isEnd()) {
          break;
        }
      }
      assertThat(all).as(at).extracting(e -> bigN(e)).containsExactlyElementsOf(left);
      assertThat(all).as(at).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
      List<RecordedEvent> stream = events().readStream("r", 1, 1000).events();
      assertThat(stream).as(at).extracting(RecordedEvent::position)
          .containsExactlyElementsOf(all.stream().map(RecordedEvent::position).toList());
    }
  }

  @Test
  default void appendsJoinTheCallersTransaction() {
    byte[] recordKey = tito().root().pack("test-record");
    AppendResult r = tito().transaction(tx -> {
      tx.set(recordKey, new byte[] {1});
      return events().append(tx, AppendRequest.of("tx", ExpectedVersion.NO_STREAM, List.of(event("A", 1))));
    });
    assertThat(r.firstVersion()).isEqualTo(1);
    assertThat(r.firstPosition()).as("not known inside the caller's transaction").isNull();
    assertThat(events().readStream("tx", 1, 10).events()).hasSize(1);
    RuntimeException boom = new IllegalStateException("rolled back");
    assertThatThrownBy(() -> tito().inTransaction(tx -> {
      events().append(tx, AppendRequest.of("tx", ExpectedVersion.ANY, List.of(event("A", 2))));
      throw boom;
    })).isSameAs(boom);
    assertThat(events().readStream("tx", 1, 10).events()).hasSize(1);
    // A failed append leaves the caller's transaction usable and without a trace of it.
    tito().inTransaction(tx -> {
      assertThatThrownBy(() -> events().append(tx, AppendRequest.of("tx", ExpectedVersion.NO_STREAM,
          List.of(event("A", 3))))).isInstanceOf(WrongExpectedVersionException.class);
      tx.set(recordKey, new byte[] {2});
    });
    assertThat(events().streamInfo("tx").version()).isEqualTo(1);
    byte[] stored = tito().read(tx -> tx.get(recordKey));
    assertThat(stored).containsExactly(2);
  }

  /**
   * An event store remembers the stream headers its own appends committed and expects them on the
   * next append instead of reading them; another process's appends, tombstones and truncations
   * (here a second event store on the same Tito store) make that guess stale, and a stale guess
   * must cost a retry, never an overwritten event or a lost deletion.
   */
  @Test
  default void anotherProcesssWritesToAStreamAreNeverOverwritten() {
    // This process's store remembers headers on every engine (by default only where expectations
    // are deferred); the other one plays another process.
    EventStore mine = EventStore.builder().knownStreamHeads(1_000).open(tito());
    EventStore other = EventStore.builder().open(tito());
    mine.append("shared", ExpectedVersion.ANY, event("A", 1));
    other.append("shared", ExpectedVersion.ANY, event("A", 2));
    AppendResult third = mine.append("shared", ExpectedVersion.ANY, event("A", 3));
    assertThat(third.firstVersion()).as("after the other process's append").isEqualTo(3);
    other.append("shared", ExpectedVersion.exact(3), event("A", 4));
    assertThatThrownBy(() -> mine.append("shared", ExpectedVersion.exact(3), event("A", 5)))
        .isInstanceOf(WrongExpectedVersionException.class);
    AppendResult inTx = tito().transaction(tx -> mine.append(tx,
        AppendRequest.of("shared", ExpectedVersion.exact(4), List.of(event("A", 5)))));
    assertThat(inTx.firstVersion()).isEqualTo(5);
    other.append("shared", ExpectedVersion.ANY, event("A", 6));
    tito().inTransaction(tx -> mine.append(tx,
        AppendRequest.of("shared", ExpectedVersion.ANY, List.of(event("A", 7)))));
    assertThat(readAllForward("shared", 100)).containsExactly(1, 2, 3, 4, 5, 6, 7);
    other.truncateBefore("shared", 3);
    mine.append("shared", ExpectedVersion.exact(7), event("A", 8));
    assertThat(events().streamInfo("shared").truncatedBefore()).as("the truncation stays").isEqualTo(3);
    assertThat(readAllForward("shared", 100)).containsExactly(3, 4, 5, 6, 7, 8);
    other.tombstone("shared");
    assertThatThrownBy(() -> mine.append("shared", ExpectedVersion.ANY, event("A", 9)))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(events().streamInfo("shared").deleted()).isTrue();
    // A new stream is guessed absent: a stream created, or tombstoned unused, by the other
    // process must still be refused, every time.
    other.append("theirs", ExpectedVersion.NO_STREAM, event("B", 1));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> mine.append("theirs", ExpectedVersion.NO_STREAM, event("B", 2)))
          .isInstanceOf(WrongExpectedVersionException.class);
    }
    assertThatThrownBy(() -> tito().transaction(tx -> mine.append(tx,
        AppendRequest.of("theirs", ExpectedVersion.exact(0), List.of(event("B", 2))))))
        .isInstanceOf(WrongExpectedVersionException.class);
    other.tombstone("ghost");
    assertThatThrownBy(() -> mine.append("ghost", ExpectedVersion.NO_STREAM, event("C", 1)))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(readAllForward("theirs", 10)).containsExactly(1);
    // A header learnt from a read (an aggregate's load) that the other process then moves on.
    other.append("read-first", ExpectedVersion.NO_STREAM, event("E", 1));
    assertThat(mine.readStream("read-first", 1, 10).events()).hasSize(1);
    other.append("read-first", ExpectedVersion.exact(1), event("E", 2));
    assertThat(mine.append("read-first", ExpectedVersion.ANY, event("E", 3)).firstVersion()).isEqualTo(3);
    assertThat(events().streamInfo("read-first").version()).isEqualTo(3);
    other.append("read-first", ExpectedVersion.exact(3), event("E", 4));
    assertThatThrownBy(() -> mine.append("read-first", ExpectedVersion.exact(3), event("E", 5)))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThat(readAllForward("read-first", 10)).containsExactly(1, 2, 3, 4);
    assertThat(mine.append("mine", ExpectedVersion.NO_STREAM, event("D", 1)).firstVersion()).isEqualTo(1);
    assertThat(mine.append("mine", ExpectedVersion.exact(1), event("D", 2)).firstVersion()).isEqualTo(2);
  }

  @Test
  default void severalAppendsToOneStreamInOneTransactionStayDense() {
    EventStore mine = EventStore.builder().knownStreamHeads(1_000).open(tito());
    mine.append("multi", ExpectedVersion.ANY, event("A", 1));
    tito().inTransaction(tx -> {
      mine.append(tx, AppendRequest.of("multi", ExpectedVersion.exact(1), List.of(event("A", 2))));
      mine.append(tx, AppendRequest.of("multi", ExpectedVersion.exact(2), List.of(event("A", 3))));
      mine.append(tx, AppendRequest.of("multi", ExpectedVersion.ANY, List.of(event("A", 4))));
    });
    mine.append("multi", ExpectedVersion.exact(4), event("A", 5));
    tito().inTransaction(tx -> {
      mine.tombstone(tx, "multi");
      assertThatThrownBy(() -> mine.append(tx, AppendRequest.of("multi", ExpectedVersion.ANY,
          List.of(event("A", 6))))).isInstanceOf(StreamDeletedException.class);
    });
    assertThat(events().streamInfo("multi").deleted()).isTrue();
    assertThat(events().streamInfo("multi").version()).isEqualTo(5);
  }

  @Test
  default void badInputIsRefusedWithNothingWritten() {
    assertThatThrownBy(() -> events().append("", ExpectedVersion.ANY, event("A", 1)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("x".repeat(EventStore.MAX_NAME_LENGTH + 1), ExpectedVersion.ANY,
        event("A", 1))).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("b", ExpectedVersion.ANY)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("b", null, event("A", 1))).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("b", ExpectedVersion.ANY, event("A", 1),
        EventData.ofJson("A", "{not json"))).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("b", ExpectedVersion.ANY, EventData.ofJson("A", "{} {}")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("b", ExpectedVersion.ANY, EventData.ofJson("A", "")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append("b", ExpectedVersion.ANY, EventData.ofJson("", "{}")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().append(AppendRequest.of("b", ExpectedVersion.ANY,
        IntStream.range(0, EventStore.DEFAULT_MAX_EVENTS_PER_APPEND + 1).mapToObj(i -> event("A", i)).toList())))
        .isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(() -> ExpectedVersion.exact(-1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().readStream("b", 1, 0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().readStream("b", 1, EventStore.MAX_READ_COUNT + 1))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().readStream("b", -1, 10)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().readAll(null, 10, EventFilter.ALL)).isInstanceOf(InvalidArgumentException.class);
    assertThat(events().streamInfo("b").exists()).isFalse();
    assertThat(events().headPosition()).isEqualTo(io.tito.Stamp.ZERO);
  }
}
