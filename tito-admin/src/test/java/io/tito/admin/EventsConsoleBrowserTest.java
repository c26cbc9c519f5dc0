package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The console's event store page end to end in headless Chromium with a real store (RocksDB)
 * behind it: the operator pauses and resumes a projection through the page and sees its state
 * change in the store and on the page, rebuilds it (with a confirming second click) and watches
 * its lag drain as the application's runner replays, deletes it (a second click again), deletes a
 * subscription group, and browses a stream by alias and $all.
 */
class EventsConsoleBrowserTest {

  @Test
  void pauseResumeRebuildAndBrowseThroughThePage() throws Exception {
    String url = Stores.freshRocksDb();
    try (EventsFixture fx = new EventsFixture(url).withWork();
        AdminServer server = AdminServer.builder(fx.tito).port(0)
            .token(AdminServerContract.TOKEN).start();
        WebDriver browser = new WebDriver()) {
      server.admin().events().register(fx.counter, EventsFixture.ONE_ATTEMPT);
      browser.open(server.uri().resolve("events.html"));
      browser.type("#token", AdminServerContract.TOKEN);
      browser.awaitText("#proj-counter .state", t -> t.equals("active"));
      assertThat(browser.text("#proj-counter .dead")).isEqualTo("1");
      browser.awaitText("#sub-feed .state", t -> t.equals("active"));

      browser.click("#proj-counter button.pause");
      browser.awaitText("#proj-counter .state", t -> t.equals("paused"));
      assertThat(fx.events.projections().status("counter").paused()).isTrue();
      browser.awaitText("#status", t -> t.contains("Paused counter"));
      browser.click("#proj-counter button.resume");
      browser.awaitText("#proj-counter .state", t -> t.equals("active"));
      assertThat(fx.events.projections().status("counter").paused()).isFalse();

      browser.click("#proj-counter button.rebuild");
      browser.awaitText("#status", t -> t.contains("click again to confirm"));
      assertThat(fx.count("OrderPlaced")).as("nothing cleared before the confirming click").isEqualTo(2);
      browser.click("#proj-counter button.confirm-rebuild");
      browser.awaitText("#proj-counter .lag", t -> t.equals(Integer.toString(EventsFixture.EVENTS)));
      assertThat(fx.count("OrderPlaced")).isZero();
      try (var runner = fx.events.projections().start(fx.counter, EventsFixture.ONE_ATTEMPT)) {
        browser.awaitText("#proj-counter .lag", t -> t.equals("0"));
        assertThat(fx.count("OrderPlaced")).isEqualTo(2);
      }

      browser.click("#proj-counter button.delete");
      browser.awaitText("#status", t -> t.contains("read model stays") && t.contains("click again to confirm"));
      assertThat(fx.events.projections().names()).as("nothing deleted before the confirming click").contains("counter");
      browser.click("#proj-counter button.confirm-delete");
      browser.awaitText("#status", t -> t.contains("Deleted counter"));
      assertThat(fx.events.projections().names()).doesNotContain("counter");
      Fixture.await("the page dropped the projection's row", () -> !browser.present("#proj-counter"));
      assertThat(fx.count("OrderPlaced")).as("the read model is the application's").isEqualTo(2);

      browser.click("#sub-feed button.delete");
      browser.awaitText("#status", t -> t.contains("click again to confirm"));
      browser.click("#sub-feed button.confirm-delete");
      browser.awaitText("#status", t -> t.contains("live worker"));
      assertThat(fx.events.subscriptions().names()).as("refused while its worker runs").contains("feed");
      int fed = fx.fed.size();
      browser.click("#sub-feed button.reset-beginning");
      browser.awaitText("#status", t -> t.contains("Reset feed to the beginning"));
      Fixture.await("feed handed $all again", () -> fx.fed.size() >= fed + EventsFixture.EVENTS - 1);
      fx.feed.close();
      fx.feed = null;
      browser.click("#sub-feed button.delete");
      browser.click("#sub-feed button.confirm-delete");
      browser.awaitText("#status", t -> t.contains("Deleted feed"));
      assertThat(fx.events.subscriptions().names()).doesNotContain("feed");

      browser.type("#alias", "orders:1");
      browser.click("#browse");
      browser.awaitText("#stream-summary", t -> t.contains(fx.order1) && t.contains("version 3"));
      assertThat(browser.text("#ev-" + fx.order1 + "-3")).contains("OrderShipped", "post");
      assertThat(browser.present("#ev-order-2-1")).isFalse();
      browser.screenshot(Path.of("target", "console-events.png"));

      browser.click("#browse-all");
      browser.awaitText("#stream-summary", t -> t.startsWith("$all"));
      assertThat(browser.text("#events")).contains("order-2", "poison-1", "tally-1", "OrderShipped");
    } finally {
      Stores.deleteDir(url);
    }
  }
}
