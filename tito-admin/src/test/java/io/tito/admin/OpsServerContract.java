package io.tito.admin;

import static io.tito.admin.AdminServerContract.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tito.data.DataStore;
import io.tito.pubsub.Message;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tenants, backups and logs endpoints and the dead-lettered counter against a real store;
 * subclasses choose the engine.
 */
abstract class OpsServerContract {

  static final String TOKEN = "test-token-" + UUID.randomUUID();

  abstract String freshUrl();

  Fixture fx;
  AdminServer server;
  Http http;
  Path backups;
  Path log;

  @BeforeEach
  void open() {
    fx = new Fixture(freshUrl()).withWork();
    backups = OpsFiles.tempDir("tito-admin-backups-");
    log = OpsFiles.knownLog();
    server = AdminServer.builder(fx.tito).port(0).token(TOKEN).backups(backups)
        .log("audit-log", log).start();
    http = new Http(server.uri(), TOKEN);
  }

  @AfterEach
  void close() {
    server.close();
    fx.close();
    Stores.drop(fx.url);
    Stores.deleteDir(fx.url);
    OpsFiles.delete(backups);
    OpsFiles.delete(log);
  }

  @Test
  void tenantsReadFreelyAndMutateWithTheToken() {
    assertThat(http.get("api/tenants").json()).isEmpty();
    Http.Answer anonymous = http.send("POST", "api/tenants/acme", null, null);
    assertThat(anonymous.status()).isEqualTo(401);
    Http.Answer ensured = http.post("api/tenants/acme", null);
    assertThat(ensured.status()).as(ensured.body()).isEqualTo(200);
    assertThat(ensured.json().get("name").asText()).isEqualTo("acme");
    assertThat(http.get("api/tenants").json().get(0).get("name").asText()).isEqualTo("acme");
    assertThat(http.get("api/tenants/acme").json().get("lagging").asBoolean()).isFalse();
    assertThat(http.get("api/tenants/acme?definitionVersion=5").json().get("lagging").asBoolean())
        .isTrue();
    assertThat(http.get("api/tenants/nope").status()).isEqualTo(404);
    assertThat(http.post("api/tenants/bad%20name", null).status()).isEqualTo(400);
    assertThat(http.delete("api/tenants/acme").status()).as("needs force").isEqualTo(400);
    assertThat(http.send("DELETE", "api/tenants/acme?force=true", null, null).status())
        .isEqualTo(401);
    assertThat(http.delete("api/tenants/acme?force=true").status()).isEqualTo(200);
    assertThat(http.get("api/tenants/acme").status()).isEqualTo(404);
  }

  @Test
  void documentCollectionsOfATenant() {
    OpsFiles.tenantWithDocuments(fx.tito, "acme");
    JsonNode all = http.get("api/documents?tenant=acme").json();
    assertThat(all.get(0).get("table").asText()).isEqualTo("people");
    assertThat(http.get("api/documents/people?tenant=acme").json().get("indexes").get("by_city")
        .asText()).isEqualTo("READABLE");
    assertThat(http.get("api/documents").json()).isEmpty();
    assertThat(http.get("api/documents/people").status()).isEqualTo(404);
    assertThat(http.get("api/documents?tenant=nope").status()).isEqualTo(404);
  }

  @Test
  void backupsCreateListAndVerify() {
    assertThat(http.get("api/backups").json().get("backups")).isEmpty();
    assertThat(http.get("api/backups/newest/verify").status()).isEqualTo(404);
    assertThat(http.send("POST", "api/backups", "{}", null).status()).isEqualTo(401);
    Http.Answer full = http.post("api/backups", "{\"kind\":\"full\"}");
    assertThat(full.status()).as(full.body()).isEqualTo(200);
    assertThat(full.json().get("kind").asText()).isEqualTo("FULL");
    fx.tito.module(DataStore.class).store(Fixture.CUSTOMERS)
        .insert(new Fixture.Customer("c9", "Kyiv"));
    Http.Answer incr = http.post("api/backups", "{\"kind\":\"incremental\"}");
    assertThat(incr.json().get("parent").asText()).isEqualTo(full.json().get("id").asText());
    assertThat(http.post("api/backups", "{\"kind\":\"sideways\"}").status()).isEqualTo(400);

    JsonNode list = http.get("api/backups").json();
    assertThat(list.get("backups")).hasSize(2);
    assertThat(http.get("api/backups/newest/verify").json().get("verified")).hasSize(2);
    assertThat(http.get("api/backups/" + full.json().get("id").asText() + "/verify").json()
        .get("verified")).hasSize(1);
    assertThat(http.get("api/backups/no-such-backup/verify").status()).isEqualTo(404);
    assertThat(http.delete("api/backups").status()).isEqualTo(405);
  }

  @Test
  void logsStatusAndRecords() {
    JsonNode all = http.get("api/logs").json();
    assertThat(all.get("audit-log").get("endOffset").asLong()).isEqualTo(5);
    JsonNode status = http.get("api/logs/audit-log").json();
    assertThat(status.get("consumers").get(0).get("lag").asLong()).isEqualTo(3);
    JsonNode records = http.get("api/logs/audit-log/records?from=2&limit=2").json();
    assertThat(records).hasSize(2);
    assertThat(records.get(0).get("payload").asText()).isEqualTo("r2");
    assertThat(http.get("api/logs/audit-log/tail?count=1").json().get(0).get("offset").asLong())
        .isEqualTo(4);
    assertThat(http.get("api/logs/nope").status()).isEqualTo(404);
    assertThat(http.get("api/logs/audit-log/records?limit=x").status()).isEqualTo(400);
    assertThat(http.post("api/logs/audit-log", null).status()).isEqualTo(405);
  }

  @Test
  void deadLetteredCounterCountsEveryDeadLetteringAndNeverGoesDown() {
    String series = "tito_events_dead_lettered_total\\{group=\"billing\",topic=\"orders\"\\}";
    String gauge = "tito_dead_letters\\{group=\"billing\",topic=\"orders\"\\}";
    String text = scrape();
    assertThat(value(text, series)).isEqualTo(1);
    assertThat(value(text, gauge)).isEqualTo(1);

    fx.tito.topics().deleteDeadLetter("orders", "billing", fx.deadLetter().id());
    fx.tito.topics().publish("orders", Message.of("e", Fixture.bytes("poison-5")));
    fx.tito.topics().publish("orders", Message.of("f", Fixture.bytes("poison-6")));
    Fixture.await("two more dead letters",
        () -> fx.tito.topics().deadLetterCount("orders", "billing") == 2);
    String after = scrape();
    assertThat(value(after, series)).as("deleting one does not lower it").isEqualTo(3);
    assertThat(value(after, gauge)).isEqualTo(2);

    fx.heal();
    fx.tito.topics().requeueAll("orders", "billing");
    Fixture.await("requeued handled", () -> fx.tito.topics().deadLetterCount("orders", "billing")
        == 0 && fx.handled.size() == 4);
    String healed = scrape();
    assertThat(value(healed, series)).as("requeueing does not lower it").isEqualTo(3);
    assertThat(value(healed, gauge)).isZero();
    assertThat(fx.tito.topics().deadLetteredTotal("orders", "billing")).isEqualTo(3);
  }

  String scrape() {
    Http.Answer a = http.get("metrics");
    assertThat(a.status()).isEqualTo(200);
    return a.body();
  }
}
