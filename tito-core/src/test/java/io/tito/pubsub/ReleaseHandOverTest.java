package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.spi.ForwardingEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runner hands a release's events to the handler without a fetch only when they are the next
 * log items: an event another process appended meanwhile (no wake-up reached this one) comes
 * first, and the runner reads the log instead of skipping it (issue 16).
 */
class ReleaseHandOverTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final MemoryEngine memory = new MemoryEngine();
  private final Tito tito = Tito.builder().engine(new ForwardingEngine(memory) {}).clock(clock).build();
  /** Another "process": its own engine object, so its commits do not wake this one's workers. */
  private final Tito other = Tito.builder().engine(new ForwardingEngine(memory) {
    @Override
    public void close() {
      // the engine is closed once, by the first store
    }
  }).clock(clock).build();
  private Subscription sub;

  @AfterEach
  void close() {
    if (sub != null) {
      sub.close(Duration.ofSeconds(5));
    }
    other.close();
    tito.close();
  }

  private static Message message(String text) {
    return Message.of("k", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEventAppendedUnseenBeforeAReleaseIsHandledFirst() {
    Topics topics = tito.topics();
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant due = clock.instant().plus(Duration.ofSeconds(1));
    topics.publish("t", message("a").deliverAt(due));
    topics.publish("t", message("c").deliverAt(due.plusSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    List<String> seen = new CopyOnWriteArrayList<>();
    // Polls an hour apart: after "a" the runner waits until "c" is due (1 s of real time, the
    // manual clock standing still), not for a poll that would read "b" first.
    sub = topics.subscribe("t", "g", e -> seen.add(new String(e.payload(), StandardCharsets.UTF_8)),
        Await.fast().pollInterval(Duration.ofHours(1)).leaseTimeout(Duration.ofHours(3))
            .start(StartPosition.EARLIEST).build());
    Await.until("a delivered", () -> seen.contains("a"));
    other.topics().publish("t", message("b")); // position 1, no wake-up here
    clock.advance(Duration.ofSeconds(2));
    Await.until("c delivered", () -> seen.contains("c"));
    assertThat(seen).containsExactly("a", "b", "c");
  }
}
