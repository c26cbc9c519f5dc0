package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.PublishReceipt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Developer mode: write, event and handler steps drawn as a Mermaid sequence diagram. */
class BreadcrumbsTest {

  @Test
  void aFlowIsRecordedAndDrawn() {
    String url = Stores.freshRocksDb();
    Breadcrumbs crumbs = new Breadcrumbs();
    try (Tito tito = Tito.builder().url(url)
        .with(DataStore.models(Fixture.CUSTOMERS).hook(crumbs.writeHook())).build()) {
      tito.topics().createTopic("customers", TopicConfig.DEFAULTS.withPartitions(1));
      var store = tito.module(DataStore.class).store(Fixture.CUSTOMERS);
      PublishReceipt receipt = tito.transaction(tx -> {
        store.insert(tx, new Fixture.Customer("c1", "Oslo"));
        return tito.topics().publish(tx, "customers", Message.of("c1", Fixture.bytes("created")));
      });
      crumbs.published("application", receipt);
      AtomicInteger calls = new AtomicInteger();
      try (Subscription s = tito.topics().subscribe("customers", "mailer",
          crumbs.handler("customers", "mailer", e -> {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("smtp down");
            }
          }), SubscribeOptions.builder().backoff(Duration.ofMillis(10), Duration.ofMillis(10))
              .pollInterval(Duration.ofMillis(20)).build())) {
        Fixture.await("handled after a retry", () -> crumbs.steps().size() == 4);
      }
      assertThat(crumbs.steps()).extracting(Breadcrumbs.Step::from).containsExactly(
          "application", "application", "topic customers", "topic customers");
      String mermaid = crumbs.toMermaid();
      String id = receipt.id().toString().substring(0, 8);
      assertThat(mermaid).startsWith("sequenceDiagram\n")
          .contains("participant P0 as application", "participant P1 as customers",
              "participant P2 as topic customers", "participant P3 as group mailer",
              "P0->>P1: insert c1", "P0->>P2: event " + id + " p0 #35;0",
              "P2-xP3: handle " + id + " p0 #35;0 failed: smtp down",
              "P2->>P3: handle " + id + " p0 #35;0\n");
    } finally {
      Stores.deleteDir(url);
    }
  }
}
