package io.tito.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Stamp;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Subscription;
import org.junit.jupiter.api.Test;

/** Operators list projections and subscription groups by name, each kind apart. */
class ConsumerNamesTest {

  @Test
  void projectionsAndSubscriptionsAreListedOnceKnownEachKindApart() {
    try (Tito tito = Tito.builder().engine(new MemoryEngine()).with(EventStore.builder()).build()) {
      EventStore events = tito.module(EventStore.class);
      assertThat(events.projections().names()).isEmpty();
      assertThat(events.subscriptions().names()).isEmpty();
      assertThat(tito.topics().topicNames()).as("listing wrote nothing").isEmpty();

      Projection counter = new Projection() {
        @Override
        public String name() {
          return "counter";
        }

        @Override
        public void apply(io.tito.Transaction tx, RecordedEvent event) {}
      };
      // Known after a rebuild alone, before any runner registered it with the consumer core.
      events.projections().rebuild(counter);
      events.projections().resetCheckpoint("counter", Stamp.ZERO);
      try (Subscription s = events.subscriptions().subscribe("feed", EventSubscriptionOptions.DEFAULTS, e -> {})) {
        assertThat(events.projections().names()).containsExactly("counter");
        assertThat(events.subscriptions().names()).containsExactly("feed");
      }
      assertThat(tito.topics().groups(EventStore.CONSUMER_TOPIC))
          .containsExactlyInAnyOrder("projection:counter", "subscription:feed");
    }
  }
}
