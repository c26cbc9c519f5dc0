package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tito.pubsub.Message;
import java.net.InetAddress;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint of the admin server against a real store; subclasses choose the engine. */
abstract class AdminServerContract {

  static final String TOKEN = "test-token-" + UUID.randomUUID();

  abstract String freshUrl();

  Fixture fx;
  AdminServer server;
  Http http;
  PrometheusMeterRegistry registry;

  @BeforeEach
  void open() {
    fx = new Fixture(freshUrl()).withWork();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server = AdminServer.builder(fx.tito).port(0).token(TOKEN).registry(registry)
        .watch("orders", "billing", fx.billing).start();
    http = new Http(server.uri(), TOKEN);
  }

  @AfterEach
  void close() {
    server.close();
    fx.close();
    Stores.drop(fx.url);
    Stores.deleteDir(fx.url);
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertThat(server.address().isLoopbackAddress()).isTrue();
    assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void livenessAndReadiness() {
    assertThat(http.get("health/live").json().get("status").asText()).isEqualTo("UP");
    Fixture.await("ready", () -> http.get("health/ready").status() == 200);
    JsonNode ready = http.get("health/ready").json();
    assertThat(ready.get("checks").get("engine").asText()).isEqualTo("UP");
    assertThat(ready.get("checks").get("leases").asText()).isEqualTo("UP");
    fx.billing.close();
    Http.Answer down = http.get("health/ready");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().get("checks").get("workers").asText()).startsWith("DOWN");
    assertThat(down.json().get("checks").get("leases").asText()).startsWith("DOWN");
  }

  @Test
  void topicsGroupsAndScheduledAsJson() {
    JsonNode topics = http.get("api/topics").json();
    assertThat(topics.get(0).get("name").asText()).isEqualTo("orders");
    assertThat(topics.get(0).get("events").asLong()).isEqualTo(3);
    assertThat(http.get("api/topics/orders").json().get("partitions").asInt()).isEqualTo(2);
    JsonNode groups = http.get("api/topics/orders/groups").json();
    assertThat(groups.get(0).get("group").asText()).isEqualTo("billing");
    assertThat(groups.get(0).get("partitions")).hasSize(2);
    JsonNode billing = http.get("api/topics/orders/groups/billing").json();
    assertThat(billing.get("deadLetters").asLong()).isEqualTo(1);
    assertThat(billing.get("lag").asLong()).isZero();
    assertThat(http.get("api/topics/orders/scheduled").json()).hasSize(1);
    assertThat(http.get("api/topics/orders/scheduled?state=due").json()).isEmpty();
    assertThat(http.get("api/topics/orders/scheduled?state=pending&limit=5").json().get(0)
        .get("payload").asText()).isEqualTo("later");
    assertThat(http.get("api/topics/nope").status()).isEqualTo(404);
    assertThat(http.get("api/topics/orders/groups/nope").status()).isEqualTo(404);
    assertThat(http.get("api/topics/orders/scheduled?state=soon").status()).isEqualTo(400);
    assertThat(http.get("api/nothing").status()).isEqualTo(404);
  }

  @Test
  void deadLettersShowRequeueAndDelete() {
    UUID id = fx.deadLetter().id();
    String base = "api/topics/orders/groups/billing/dead-letters";
    assertThat(http.get(base).json().get(0).get("id").asText()).isEqualTo(id.toString());
    assertThat(http.get(base + "/" + id).json().get("event").get("payload").asText())
        .isEqualTo("poison-2");
    assertThat(http.get(base + "/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(http.get(base + "/not-an-id").status()).isEqualTo(400);
    fx.heal();
    assertThat(http.post(base + "/" + id + "/requeue", null).json().get("requeued").asInt())
        .isEqualTo(1);
    Fixture.await("handled", () -> fx.handled.stream().anyMatch(e -> e.id().equals(id)));
    assertThat(http.post(base + "/" + id + "/requeue", null).status()).isEqualTo(404);
    assertThat(http.delete(base + "/" + id).status()).isEqualTo(404);
    assertThat(http.post(base + "/requeue-all", null).json().get("requeued").asInt()).isZero();
  }

  @Test
  void deleteAndRequeueAll() {
    fx.tito.topics().publish("orders", Message.of("e", Fixture.bytes("poison-5")));
    Fixture.await("two", () -> fx.tito.topics().deadLetters("orders", "billing", 10).size() == 2);
    String base = "api/topics/orders/groups/billing/dead-letters";
    assertThat(http.delete(base + "/" + fx.deadLetter().id()).json().get("deleted").asInt())
        .isEqualTo(1);
    fx.heal();
    assertThat(http.post(base + "/requeue-all", null).json().get("requeued").asInt()).isEqualTo(1);
    Fixture.await("handled", () -> fx.handled.size() == 3);
  }

  @Test
  void groupReset() {
    String path = "api/topics/orders/groups/billing/reset";
    int before = fx.handled.size();
    assertThat(http.post(path, "{\"to\":\"earliest\"}").status()).isEqualTo(200);
    Fixture.await("replayed", () -> fx.handled.size() == before + 2);
    assertThat(http.post(path, "{\"to\":\"latest\"}").json().get("lag").asLong()).isZero();
    assertThat(http.post(path, "{\"to\":\"2020-01-01T00:00:00Z\"}").status()).isEqualTo(200);
    assertThat(http.post(path, "{\"partition\":0,\"position\":0}").json().get("partitions")
        .get(0).get("checkpoint").asLong()).isZero();
    assertThat(http.post(path, "{\"to\":\"yesterday\"}").status()).isEqualTo(400);
    assertThat(http.post(path, "{\"partition\":9,\"position\":0}").status()).isEqualTo(400);
    assertThat(http.post(path, "not json").status()).isEqualTo(400);
    assertThat(http.post(path, "{}").status()).isEqualTo(400);
  }

  @Test
  void modelsIndexesBuildAndDrop() {
    JsonNode models = http.get("api/models").json();
    assertThat(models.get(0).get("indexes").get("by_city").asText()).isEqualTo("DISABLED");
    JsonNode built = http.post("api/models/customers/indexes/by_city/build?batch=2", null).json();
    assertThat(built.get("state").asText()).isEqualTo("READABLE");
    assertThat(built.get("recordsScanned").asLong()).isEqualTo(3);
    assertThat(http.get("api/models/customers").json().get("indexes").get("by_city").asText())
        .isEqualTo("READABLE");
    assertThat(scrape()).contains("tito_index_build_records{index=\"by_city\",table=\"customers\"} 3.0",
        "tito_index_build_done{index=\"by_city\",table=\"customers\"} 1.0");
    assertThat(http.delete("api/models/customers/indexes/by_city").status())
        .as("still defined by the model").isEqualTo(400);
    assertThat(http.delete("api/models/customers/indexes/nope").status()).isEqualTo(404);
    assertThat(http.get("api/models/nope").status()).isEqualTo(404);
  }

  @Test
  void mutationsNeedTheToken() {
    String base = "api/topics/orders/groups/billing/dead-letters";
    UUID id = fx.deadLetter().id();
    assertThat(http.send("POST", base + "/" + id + "/requeue", null, null).status()).isEqualTo(401);
    assertThat(http.send("POST", base + "/" + id + "/requeue", null, TOKEN + "x").status())
        .isEqualTo(401);
    assertThat(http.send("DELETE", base + "/" + id, null, "wrong").status()).isEqualTo(401);
    assertThat(http.send("PUT", base, null, TOKEN).status()).isEqualTo(405);
    assertThat(http.get(base).json()).as("nothing changed").hasSize(1);
    try (AdminServer noToken = AdminServer.builder(fx.tito).port(0).start()) {
      Http open = new Http(noToken.uri(), TOKEN);
      assertThat(open.post(base + "/" + id + "/requeue", null).status()).isEqualTo(403);
      assertThat(open.get(base).status()).as("reads stay open").isEqualTo(200);
    }
    assertThat(http.get(base).json()).hasSize(1);
  }

  @Test
  void metricsMatchTheKnownWork() {
    String text = scrape();
    assertThat(value(text, "tito_events_published_total\\{topic=\"orders\"\\}")).isEqualTo(3);
    assertThat(value(text, "tito_events_consumed_total\\{group=\"billing\",topic=\"orders\"\\}"))
        .isEqualTo(3);
    assertThat(value(text, "tito_dead_letters\\{group=\"billing\",topic=\"orders\"\\}")).isEqualTo(1);
    assertThat(value(text, "tito_group_lag\\{group=\"billing\",partition=\"0\",topic=\"orders\"\\}"))
        .isZero();
    assertThat(value(text, "tito_lease_changes_total\\{group=\"billing\",topic=\"orders\"\\}"))
        .as("each partition was taken once").isEqualTo(2);
    fx.billing.close();
    fx.tito.topics().publish("orders", Message.of("x", Fixture.bytes("order-4")));
    String after = scrape();
    assertThat(value(after, "tito_events_published_total\\{topic=\"orders\"\\}")).isEqualTo(4);
    assertThat(value(after, "tito_group_lag\\{group=\"billing\",partition=\"0\",topic=\"orders\"\\}")
        + value(after, "tito_group_lag\\{group=\"billing\",partition=\"1\",topic=\"orders\"\\}"))
        .isEqualTo(1);
    assertThat(value(after, "tito_partitions_unowned\\{group=\"billing\",topic=\"orders\"\\}"))
        .isEqualTo(2);
  }

  @Test
  void consoleFilesAreServed() {
    Http.Answer page = http.get("");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Tito console</title>", "console.js");
    assertThat(http.get("console.js").body()).contains("requeue");
    assertThat(http.get("console.css").status()).isEqualTo(200);
    assertThat(http.get("nope.html").status()).isEqualTo(404);
  }

  String scrape() {
    Http.Answer a = http.get("metrics");
    assertThat(a.status()).isEqualTo(200);
    return a.body();
  }

  static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("series " + series + " in\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  static boolean loopback(InetAddress a) {
    return a.isLoopbackAddress();
  }
}
