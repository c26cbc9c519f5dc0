package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.Stamp;
import io.tito.events.AppendRequest;
import io.tito.events.AppendResult;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.ExpectedVersion;
import io.tito.events.IdempotencyConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Idempotent appends: a retry with the same idempotency key or the same explicit event ids and
 * the same content returns the original result and writes nothing; other content is a typed
 * conflict; concurrent retries write once.
 */
public interface IdempotencyContract extends EventStoreFixture {

  @Test
  default void aRetriedKeyReturnsTheOriginalResult() {
    AppendRequest req = AppendRequest.of("i", ExpectedVersion.ANY, List.of(event("A", 1), event("A", 2)))
        .withIdempotencyKey("cmd-1");
    AppendResult first = events().append(req);
    events().append("i", ExpectedVersion.ANY, event("A", 3));
    AppendResult again = events().append(req);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.firstVersion()).isEqualTo(first.firstVersion());
    assertThat(again.lastVersion()).isEqualTo(first.lastVersion());
    assertThat(events().streamInfo("i").version()).isEqualTo(3);
    assertThatThrownBy(() -> events().append(AppendRequest.of("i", ExpectedVersion.ANY,
        List.of(event("A", 1), event("A", 99))).withIdempotencyKey("cmd-1")))
        .isInstanceOf(IdempotencyConflictException.class).isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> events().append(AppendRequest.of("other", ExpectedVersion.ANY,
        List.of(event("A", 1), event("A", 2))).withIdempotencyKey("cmd-1")))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(events().streamInfo("other").exists()).isFalse();
  }

  @Test
  default void explicitEventIdsMakeAnAppendIdempotent() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    List<EventData> batch = List.of(EventData.builder("A").json("{\"n\":1}").eventId(a).build(),
        EventData.builder("A").json("{\"n\":2}").eventId(b).header("h", "1").build());
    AppendResult first = events().append(AppendRequest.of("ids", ExpectedVersion.NO_STREAM, batch));
    AppendResult again = events().append(AppendRequest.of("ids", ExpectedVersion.NO_STREAM, batch));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.firstVersion()).isEqualTo(first.firstVersion());
    assertThat(again.lastVersion()).isEqualTo(2);
    assertThat(events().readAll(Stamp.ZERO, 10, EventFilter.ALL).events()).hasSize(2);
    assertThatThrownBy(() -> events().append("ids", ExpectedVersion.ANY,
        EventData.builder("A").json("{\"n\":7}").eventId(a).build()))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThatThrownBy(() -> events().append("elsewhere", ExpectedVersion.ANY, batch.get(0), batch.get(1)))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(events().streamInfo("ids").version()).isEqualTo(2);
  }

  @Test
  default void concurrentRetriesWriteOnce() throws Exception {
    AppendRequest req = AppendRequest.of("c", ExpectedVersion.ANY, List.of(event("A", 1)))
        .withIdempotencyKey("once");
    List<Callable<AppendResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tasks.add(() -> events().append(req));
    }
    List<AppendResult> results = EventStoreFixture.concurrently(tasks);
    assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
    assertThat(results).allSatisfy(r -> assertThat(r.lastVersion()).isEqualTo(1));
    assertThat(events().streamInfo("c").version()).isEqualTo(1);
  }
}
