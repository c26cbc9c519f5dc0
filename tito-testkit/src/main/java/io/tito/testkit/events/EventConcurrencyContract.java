package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Stamp;
import io.tito.events.AppendResult;
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

  /**
   * Writers appending to streams of their own at once (appends an engine may commit together as
   * one) each learn the positions their events got: every append's {@code firstPosition} is where
   * $all holds its first event, the next positions hold the rest, and no two appends share one.
   */
  @Test
  default void concurrentAppendsLearnThePositionsTheirEventsGot() throws Exception {
    int writers = 4;
    int appends = 20;
    List<Callable<List<AppendResult>>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String stream = "own-" + w;
      int writer = w;
      tasks.add(() -> {
        List<AppendResult> out = new ArrayList<>();
        for (int i = 0; i < appends; i++) {
          int n = writer * 1000 + i * 10;
          out.add(i % 2 == 0
              ? events().append(stream, ExpectedVersion.ANY, event("E", n))
              : events().append(stream, ExpectedVersion.ANY, event("E", n), event("E", n + 1)));
        }
        return out;
      });
    }
    List<List<AppendResult>> results = EventStoreFixture.concurrently(tasks);
    java.util.Map<Stamp, RecordedEvent> all = new java.util.HashMap<>();
    for (RecordedEvent e : events().readAll(Stamp.ZERO, 1000, EventFilter.ALL).events()) {
      all.put(e.position(), e);
    }
    java.util.Set<Stamp> given = new HashSet<>();
    for (List<AppendResult> writer : results) {
      for (AppendResult r : writer) {
        Stamp p = r.firstPosition();
        for (long v = r.firstVersion(); v <= r.lastVersion(); v++) {
          assertThat(given.add(p)).as("position %s given once", p).isTrue();
          RecordedEvent e = all.get(p);
          assertThat(e).as("the event at %s, given to %s version %d", p, r.streamId(), v).isNotNull();
          assertThat(e.streamId()).as("the stream of the event at %s", p).isEqualTo(r.streamId());
          assertThat(e.version()).as("the version of the event at %s", p).isEqualTo(v);
          p = p.next();
        }
      }
    }
    assertThat(given).as("every event of $all was given to its append").isEqualTo(all.keySet());
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
