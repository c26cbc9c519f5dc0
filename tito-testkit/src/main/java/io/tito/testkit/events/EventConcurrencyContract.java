package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Stamp;
import io.tito.events.EventFilter;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.events.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Concurrency: N writers racing for each version of one stream (one winner per version, the
 * others told the actual version), and N first users of one alias agreeing on one stream id.
 */
public interface EventConcurrencyContract extends EventStoreFixture {

  @Test
  default void oneWinnerPerVersion() throws Exception {
    int writers = 4;
    int rounds = 5;
    for (long v = 0; v < rounds; v++) {
      long expected = v;
      List<Callable<Object>> tasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int n = (int) (v * 100 + w);
        tasks.add(() -> {
          try {
            return events().append("race", ExpectedVersion.exact(expected), event("E", n));
          } catch (WrongExpectedVersionException e) {
            return e;
          }
        });
      }
      List<Object> results = EventStoreFixture.concurrently(tasks);
      assertThat(results).as("round %d", v).filteredOn(r -> !(r instanceof WrongExpectedVersionException)).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof WrongExpectedVersionException)
          .allSatisfy(r -> assertThat(((WrongExpectedVersionException) r).actualVersion()).isEqualTo(expected + 1));
    }
    List<RecordedEvent> stream = events().readStream("race", 1, 100).events();
    assertThat(stream).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(events().readAll(Stamp.ZERO, 100, EventFilter.ALL).events()).hasSize(rounds);
  }

  @Test
  default void concurrentFirstUsesOfAnAliasAgree() throws Exception {
    List<Callable<String>> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tasks.add(() -> events().resolveAlias("orders:42"));
    }
    List<String> ids = EventStoreFixture.concurrently(tasks);
    assertThat(new HashSet<>(ids)).hasSize(1);
    assertThat(events().findAlias("orders:42")).isEqualTo(ids.get(0));
    assertThat(events().resolveAlias("orders:42")).isEqualTo(ids.get(0));
    assertThat(events().resolveAlias("orders:43")).isNotEqualTo(ids.get(0));
    assertThat(events().findAlias("orders:44")).isNull();
  }
}
