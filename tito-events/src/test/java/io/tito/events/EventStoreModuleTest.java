package io.tito.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event store as a module of the front door, and its settings. */
class EventStoreModuleTest {

  @Test
  void opensWithTheStoreAndUsesCommitStampsOnTheMemoryEngine() {
    try (Tito tito = Tito.builder().engine(new MemoryEngine()).with(EventStore.builder()).build()) {
      EventStore events = tito.module(EventStore.class);
      assertThat(events.usesCommitStamps()).isTrue();
      AppendResult r = events.append("s", ExpectedVersion.NO_STREAM, EventData.of("Made", List.of(1, 2)));
      assertThat(r.firstPosition()).isNotNull().isGreaterThan(Stamp.ZERO);
      assertThat(events.readStream("s", 1, 10).events().get(0).payloadAs(int[].class)).containsExactly(1, 2);
    }
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> EventStore.builder().maxEventsPerAppend(0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> EventStore.builder().maxEventsPerAppend(Stamp.MAX_ORDER + 1))
        .as("one stamp of a transaction goes to the append's position reference")
        .isInstanceOf(InvalidArgumentException.class);
    EventStore.builder().maxEventsPerAppend(Stamp.MAX_ORDER);
    assertThatThrownBy(() -> EventStore.builder().wakeUpInterval(null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> EventStore.builder().wakeUpInterval(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> EventStore.builder().wakeUpInterval(java.time.Duration.ofSeconds(2)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> EventStore.builder().mapper(null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> ExpectedVersion.exact(-2)).isInstanceOf(InvalidArgumentException.class);
    try (Tito tito = Tito.builder().engine(new MemoryEngine()).with(EventStore.builder().maxEventsPerAppend(2)).build()) {
      EventStore events = tito.module(EventStore.class);
      assertThatThrownBy(() -> events.append("s", ExpectedVersion.ANY, EventData.of("A", 1), EventData.of("A", 2),
          EventData.of("A", 3))).isInstanceOf(io.tito.LimitExceededException.class);
      assertThat(events.streamInfo("s").exists()).isFalse();
    }
  }
}
