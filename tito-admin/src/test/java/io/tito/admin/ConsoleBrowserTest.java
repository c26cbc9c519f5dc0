package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.pubsub.Message;
import io.tito.pubsub.TopicConfig;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The web console end to end in headless Chromium with a real store (RocksDB) behind it: the
 * operator opens the topic, sees the group's lag per partition and its dead letter, requeues it
 * through the page, and the event is processed.
 */
class ConsoleBrowserTest {

  @Test
  void aDeadLetterRequeuedThroughThePageIsProcessed() throws Exception {
    String url = Stores.freshRocksDb();
    try (Fixture fx = new Fixture(url).withWork();
        AdminServer server = AdminServer.builder(fx.tito).port(0)
            .token(AdminServerContract.TOKEN).start();
        WebDriver browser = new WebDriver()) {
      fx.tito.topics().createTopic("invoices", TopicConfig.DEFAULTS.withPartitions(4));
      fx.tito.topics().publish("invoices", Message.of("i1", Fixture.bytes("invoice")));
      UUID id = fx.deadLetter().id();
      browser.open(server.uri());
      browser.type("#token", AdminServerContract.TOKEN);
      browser.click("#topic-orders");
      browser.awaitText("#group-summary-billing", t -> t.contains("1 dead letters"));
      assertThat(browser.text("#lag-billing")).contains("Checkpoint", "Lag");
      browser.click("#dead-billing");
      browser.awaitText("#dl-" + id, t -> t.contains("poison-2") && t.contains("cannot bill b"));
      browser.screenshot(Path.of("target", "console.png"));

      fx.heal();
      browser.click("#dl-" + id + " button.requeue");
      Fixture.await("requeued event processed", () -> fx.handled.stream()
          .anyMatch(e -> e.id().equals(id)));
      browser.awaitText("#group-summary-billing", t -> t.contains("0 dead letters"));
      // The summary and the list re-render separately: wait for the row to go, do not assume it.
      Fixture.await("requeued row removed from the page", () -> !browser.present("#dl-" + id));
      browser.awaitText("#status", t -> t.contains("Requeued " + id));
    } finally {
      Stores.deleteDir(url);
    }
  }
}
