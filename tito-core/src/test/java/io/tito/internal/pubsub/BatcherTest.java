package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.pubsub.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatcherTest {

  private static Item log(long position) {
    byte[] bytes = EventCodec.encode(UUID.randomUUID(), "k",
        ("e" + position).getBytes(StandardCharsets.UTF_8), Map.of(), Instant.EPOCH, null);
    return Item.ofLog(position, bytes, 0, 0);
  }

  private static List<Long> positions(List<Event> events) {
    List<Long> out = new ArrayList<>();
    events.forEach(e -> out.add(e.position()));
    return out;
  }

  @Test
  void batchesLogEventsUntilARequeuedEntry() {
    Batcher b = new Batcher("t", 0, -1);
    Item requeued = Item.ofRequeued(0, new Requeued(9, log(9).bytes(), UUID.randomUUID(), 0, 0, null));
    List<Item> items = List.of(log(3), log(4), requeued, log(5));
    assertThat(positions(b.batchAt(items, 0))).containsExactly(3L, 4L);
    assertThat(b.batchAt(items, 2)).isEmpty();
  }

  @Test
  void eventsOfAFailedBatchGoOnOneAtATimeAndACopyRemembersThat() {
    Batcher b = new Batcher("t", 0, -1);
    List<Item> items = List.of(log(3), log(4), log(5), log(6));
    b.failed(items.subList(0, 3));
    assertThat(b.batchAt(items, 0)).isEmpty();
    assertThat(positions(b.batchAt(items, 3))).containsExactly(6L);
    Batcher copy = b.copy();
    assertThat(copy.batchAt(items, 2)).isEmpty();
    b.failed(items.subList(0, 1));
    assertThat(b.batchAt(items, 2)).as("an earlier failure does not move the mark back").isEmpty();
  }

  @Test
  void stopsBeforeAnUndecodableEvent() {
    Batcher b = new Batcher("t", 0, -1);
    List<Item> items = List.of(log(3), Item.ofLog(4, new byte[] {1, 2, 3}, 0, 0), log(5));
    assertThat(positions(b.batchAt(items, 0))).containsExactly(3L);
  }

  /** A batch holds at most the fetch size, also when a release handed over more. */
  @Test
  void aBatchHoldsAtMostTheGivenCount() {
    Batcher b = new Batcher("t", 0, -1);
    List<Item> items = List.of(log(3), log(4), log(5));
    assertThat(positions(b.batchAt(items, 0, 2))).containsExactly(3L, 4L);
    assertThat(positions(b.batchAt(items, 2, 2))).containsExactly(5L);
  }
}
