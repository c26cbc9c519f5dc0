package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tito.events.Projection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@code /api/events} endpoint of the admin server and the projection meters against a
 * real store, with the application's projection and repository registered on the server;
 * subclasses choose the engine.
 */
abstract class EventsAdminServerContract {

  static final String TOKEN = AdminServerContract.TOKEN;

  abstract String freshUrl();

  EventsFixture fx;
  AdminServer server;
  Http http;
  PrometheusMeterRegistry registry;

  @BeforeEach
  void open() {
    fx = new EventsFixture(freshUrl()).withWork();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server = AdminServer.builder(fx.tito).port(0).token(TOKEN).registry(registry).start();
    server.admin().events().register(fx.counter, EventsFixture.ONE_ATTEMPT).register(fx.tallies);
    http = new Http(server.uri(), TOKEN);
  }

  @AfterEach
  void close() {
    server.close();
    fx.close();
    Stores.drop(fx.url);
    Stores.deleteDir(fx.url);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void streamsAliasesAndAll() {
    JsonNode alias = http.get("api/events/aliases/" + enc("orders:1")).json();
    assertThat(alias.get("streamId").asText()).isEqualTo(fx.order1);
    assertThat(http.get("api/events/aliases/nope").status()).isEqualTo(404);

    JsonNode page = http.get("api/events/streams/" + fx.order1).json();
    assertThat(page.get("events")).hasSize(3);
    assertThat(page.get("events").get(2).get("type").asText()).isEqualTo("OrderShipped");
    JsonNode back = http.get("api/events/streams/" + fx.order1 + "?backward=true&limit=1").json();
    assertThat(back.get("events").get(0).get("version").asLong()).isEqualTo(3);
    assertThat(back.get("nextVersion").asLong()).isEqualTo(2);
    assertThat(http.get("api/events/streams/" + fx.order1 + "?from=2&type=OrderShipped").json()
        .get("events")).hasSize(1);
    assertThat(http.get("api/events/streams/" + fx.order1 + "/info").json().get("version").asLong())
        .isEqualTo(3);
    assertThat(http.get("api/events/streams/never-written").json().get("events")).isEmpty();

    JsonNode first = http.get("api/events/all?limit=5").json();
    assertThat(first.get("events")).hasSize(5);
    JsonNode rest = http.get("api/events/all?after=" + first.get("lastPosition").asText()).json();
    assertThat(rest.get("events")).hasSize(EventsFixture.EVENTS - 5);
    assertThat(rest.get("isEnd").asBoolean()).isTrue();
    assertThat(http.get("api/events/all?type=OrderPlaced,Poison").json().get("events")).hasSize(3);
    assertThat(http.get("api/events/all?prefix=tally-").json().get("events")).hasSize(3);

    assertThat(http.get("api/events/all?after=x").status()).isEqualTo(400);
    assertThat(http.get("api/events/all?limit=0").status()).isEqualTo(400);
    assertThat(http.get("api/events/streams/" + fx.order1 + "?from=x").status()).isEqualTo(400);
    assertThat(http.get("api/events/nothing").status()).isEqualTo(404);
    fx.events.tombstone("order-2");
    assertThat(http.get("api/events/streams/order-2").status()).isEqualTo(404);
  }

  @Test
  void mutationsNeedTheToken() {
    assertThat(http.send("POST", "api/events/projections/counter/pause", null, null).status())
        .isEqualTo(401);
    assertThat(http.send("POST", "api/events/projections/counter/pause", null, "wrong-token-0123456")
        .status()).isEqualTo(401);
    assertThat(fx.events.projections().status("counter").paused()).isFalse();
    try (AdminServer open = AdminServer.builder(fx.tito).port(0).start()) {
      assertThat(new Http(open.uri(), null).send("POST", "api/events/projections/counter/pause",
          null, null).status()).isEqualTo(403);
    }
    assertThat(http.get("api/events/projections/counter/pause").status()).isEqualTo(405);
  }

  @Test
  void projectionsStatusPauseResumeReset() {
    JsonNode list = http.get("api/events/projections").json();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("name").asText()).isEqualTo("counter");
    assertThat(list.get(0).get("registered").asBoolean()).isTrue();
    assertThat(list.get(0).get("deadLetters").asInt()).isEqualTo(1);
    assertThat(http.get("api/events/projections/counter").json().get("lag").asLong()).isZero();
    assertThat(http.get("api/events/projections/nobody").status()).isEqualTo(404);

    assertThat(http.post("api/events/projections/counter/pause", null).json().get("paused")
        .asBoolean()).isTrue();
    assertThat(fx.events.projections().status("counter").paused()).isTrue();
    assertThat(http.post("api/events/projections/counter/resume", null).json().get("paused")
        .asBoolean()).isFalse();

    assertThat(http.post("api/events/projections/counter/reset", "{\"to\":\"beginning\"}").json()
        .get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    String third = fx.events.readAll(io.tito.Stamp.ZERO, 3, io.tito.events.EventFilter.ALL)
        .lastPosition().toString();
    assertThat(http.post("api/events/projections/counter/reset", "{\"to\":\"" + third + "\"}").json()
        .get("lag").asLong()).isEqualTo(EventsFixture.EVENTS - 3);
    assertThat(http.post("api/events/projections/counter/reset", "{\"to\":\"end\"}").json()
        .get("lag").asLong()).isZero();
    assertThat(http.post("api/events/projections/counter/reset", "{}").status()).isEqualTo(400);
    assertThat(http.post("api/events/projections/counter/reset", "{\"to\":\"x.y\"}").status())
        .isEqualTo(400);
  }

  @Test
  void rebuildAndRunsUseTheRegisteredHandler() {
    http.post("api/events/projections/counter/reset", "{\"to\":\"beginning\"}");
    JsonNode once = http.post("api/events/projections/counter/run-once?batch=2", null).json();
    assertThat(once.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS - 2);
    JsonNode idle = http.post("api/events/projections/counter/run-until-idle?timeout=60s", null).json();
    assertThat(idle.get("lag").asLong()).isZero();
    JsonNode rebuilt = http.post("api/events/projections/counter/rebuild", null).json();
    assertThat(rebuilt.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    assertThat(fx.count("OrderPlaced")).isZero();
    http.post("api/events/projections/counter/run-until-idle", null);
    assertThat(fx.count("OrderPlaced")).isEqualTo(2);
    assertThat(http.post("api/events/projections/counter/run-once?timeout=never", null).status())
        .isEqualTo(400);

    try (AdminServer bare = AdminServer.builder(fx.tito).port(0).token(TOKEN).start()) {
      Http.Answer refused = new Http(bare.uri(), TOKEN).post("api/events/projections/counter/rebuild", null);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().get("message").asText()).contains("registered in this process");
    }
    assertThat(http.post("api/events/subscriptions/feed/rebuild", null).status()).isEqualTo(404);
  }

  @Test
  void deadLettersOfProjectionsAndSubscriptions() {
    JsonNode dead = http.get("api/events/projections/counter/dead-letters").json();
    assertThat(dead).hasSize(1);
    String id = dead.get(0).get("id").asText();
    assertThat(dead.get(0).get("error").asText()).contains("cannot count poison-1");
    assertThat(http.get("api/events/projections/counter/dead-letters/" + id).json().get("event")
        .get("streamId").asText()).isEqualTo("poison-1");
    assertThat(http.get("api/events/projections/counter/dead-letters/" + UUID.randomUUID()).status())
        .isEqualTo(404);
    assertThat(http.get("api/events/projections/counter/dead-letters/not-a-uuid").status())
        .isEqualTo(400);

    fx.heal();
    assertThat(http.post("api/events/projections/counter/dead-letters/" + id + "/requeue", null)
        .json().get("requeued").asInt()).isEqualTo(1);
    try (var runner = fx.events.projections().start(fx.counter, EventsFixture.ONE_ATTEMPT)) {
      Fixture.await("requeued poison counted", () -> fx.count("Poison") == 1);
    }

    JsonNode feed = http.get("api/events/subscriptions/feed").json();
    assertThat(feed.get("deadLetters").asInt()).isEqualTo(1);
    String feedId = http.get("api/events/subscriptions/feed/dead-letters").json().get(0).get("id").asText();
    assertThat(http.delete("api/events/subscriptions/feed/dead-letters/" + feedId).json()
        .get("deleted").asInt()).isEqualTo(1);
    assertThat(http.delete("api/events/subscriptions/feed/dead-letters/" + feedId).status())
        .isEqualTo(404);
    assertThat(http.post("api/events/subscriptions/feed/dead-letters/requeue-all", null).json()
        .get("requeued").asInt()).isZero();
    assertThat(http.post("api/events/subscriptions/feed/pause", null).json().get("paused").asBoolean())
        .isTrue();
    assertThat(http.get("api/events/subscriptions").json().get(0).get("paused").asBoolean()).isTrue();
  }

  @Test
  void subscriptionsResetAndDelete() {
    fx.feed.close();
    fx.feed = null;
    String base = "api/events/subscriptions/feed";
    assertThat(http.post(base + "/reset", "{\"to\":\"beginning\"}").json().get("lag").asLong())
        .isEqualTo(EventsFixture.EVENTS);
    String third = fx.events.readAll(io.tito.Stamp.ZERO, 3, io.tito.events.EventFilter.ALL)
        .lastPosition().toString();
    assertThat(http.post(base + "/reset", "{\"to\":\"position:" + third + "\"}").json()
        .get("position").asText()).isEqualTo(third);
    JsonNode status = http.get(base).json();
    assertThat(status.get("position").asText()).isEqualTo(third);
    assertThat(status.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS - 3);
    assertThat(http.post(base + "/reset", "{\"to\":\"end\"}").json().get("lag").asLong()).isZero();
    assertThat(http.post(base + "/reset", "{\"to\":\"" + third + "\"}").json().get("lag").asLong())
        .as("a bare position").isEqualTo(EventsFixture.EVENTS - 3);
    assertThat(http.post(base + "/reset", "{\"to\":\"time:2000-01-01T00:00:00Z\"}").json()
        .get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    assertThat(http.get(base).json().get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    assertThat(http.post(base + "/reset", "{}").status()).isEqualTo(400);
    assertThat(http.post(base + "/reset", "{\"to\":\"time:soon\"}").status()).isEqualTo(400);
    assertThat(http.post("api/events/subscriptions/nobody/reset", "{\"to\":\"end\"}").status())
        .isEqualTo(404);
    assertThat(http.send("POST", base + "/reset", "{\"to\":\"end\"}", null).status())
        .isEqualTo(401);
    assertThat(http.send("DELETE", base, null, null).status()).isEqualTo(401);

    assertThat(http.delete(base).json().get("deleted").asText()).isEqualTo("feed");
    assertThat(http.get(base).status()).isEqualTo(404);
    assertThat(http.get("api/events/subscriptions").json().findValuesAsText("name"))
        .doesNotContain("feed");
    assertThat(http.delete(base).status()).isEqualTo(404);
  }

  @Test
  void projectionDeleteNeedsForceAndTheTokenAndKeepsTheReadModel() {
    String base = "api/events/projections/counter";
    Http.Answer unforced = http.delete(base);
    assertThat(unforced.status()).as("needs force").isEqualTo(400);
    assertThat(unforced.json().get("message").asText()).contains("force");
    assertThat(http.send("DELETE", base + "?force=true", null, null).status()).isEqualTo(401);
    assertThat(http.get(base).status()).as("still there").isEqualTo(200);

    try (var runner = fx.events.projections().start(fx.counter, EventsFixture.ONE_ATTEMPT)) {
      fx.events.append("order-3", io.tito.events.ExpectedVersion.NO_STREAM,
          io.tito.events.EventData.of("OrderPlaced", java.util.Map.of("sku", "mug")));
      Fixture.await("the runner counted order-3", () -> fx.count("OrderPlaced") == 3);
      Http.Answer refused = http.delete(base + "?force=true");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().get("message").asText()).contains("live runner");
    }

    assertThat(http.delete(base + "?force=true").json().get("deleted").asText()).isEqualTo("counter");
    assertThat(http.get(base).status()).isEqualTo(404);
    assertThat(http.get(base + "/dead-letters").status()).isEqualTo(404);
    assertThat(http.get("api/events/projections").json().findValuesAsText("name")).doesNotContain("counter");
    assertThat(fx.count("OrderPlaced")).as("the read model is the application's").isEqualTo(3);
    assertThat(http.delete(base + "?force=true").status()).isEqualTo(404);
  }

  @Test
  void subscriptionDeleteIsRefusedWhileAWorkerRuns() {
    Http.Answer refused = http.delete("api/events/subscriptions/feed");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("message").asText()).contains("live worker");
    assertThat(http.get("api/events/subscriptions/feed").status()).isEqualTo(200);
  }

  @Test
  void topicsListHidesTheEventStoreTopicUnlessAll() {
    assertThat(http.get("api/topics").json().findValuesAsText("name")).doesNotContain("$events");
    assertThat(http.get("api/topics?all=true").json().findValuesAsText("name")).contains("$events");
  }

  @Test
  void snapshotsCompact() {
    JsonNode done = http.post("api/events/snapshots/compact", null).json();
    assertThat(done.get("streams").get("tally").asLong()).isEqualTo(1);
    assertThat(fx.tallies.load("tally-1").snapshotVersion()).isEqualTo(3);
    assertThat(http.post("api/events/snapshots/compact?aggregate=nope", null).status()).isEqualTo(400);
    assertThat(http.post("api/events/snapshots/compact?threshold=0", null).status()).isEqualTo(400);
  }

  static double sample(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no " + series + " in " + scrape);
  }

  @Test
  void projectionMetricsAreScraped() {
    Projection wrapped = TitoMetrics.projection(registry, fx.counter);
    server.admin().events().register(wrapped, EventsFixture.ONE_ATTEMPT);
    http.post("api/events/projections/counter/rebuild", null);
    http.post("api/events/projections/counter/run-until-idle", null);
    http.post("api/events/subscriptions/feed/pause", null);
    String text = http.get("metrics").body();
    assertThat(text).contains("tito_projection_lag{kind=\"projection\",name=\"counter\"} 0.0")
        .contains("tito_projection_dead_letters{kind=\"projection\",name=\"counter\"} 1.0")
        .contains("tito_projection_paused{kind=\"subscription\",name=\"feed\"} 1.0")
        .contains("tito_projection_paused{kind=\"projection\",name=\"counter\"} 0.0")
        .doesNotContain("topic=\"$events\"");
    // Applies are counted; a batch rolled back by a failure is applied again one by one.
    assertThat(sample(text, "tito_projection_handled_total{name=\"counter\"}"))
        .isGreaterThanOrEqualTo(EventsFixture.EVENTS - 1);
    assertThat(sample(text, "tito_projection_failed_total{name=\"counter\"}")).isGreaterThanOrEqualTo(1);

    http.post("api/events/projections/counter/reset", "{\"to\":\"beginning\"}");
    assertThat(http.get("metrics").body())
        .contains("tito_projection_lag{kind=\"projection\",name=\"counter\"} " + EventsFixture.EVENTS + ".0");
  }
}
