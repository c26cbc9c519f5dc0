package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.Tito;
import io.tito.admin.cli.ExitCodes;
import io.tito.admin.cli.TitoCli;
import io.tito.data.IndexState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every CLI command against a real store; subclasses choose the engine. */
abstract class CliContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int code, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  abstract String freshUrl();

  Fixture fx;

  @BeforeEach
  void open() {
    fx = new Fixture(freshUrl()).withWork();
  }

  @AfterEach
  void close() {
    fx.close();
    Stores.drop(fx.url);
    Stores.deleteDir(fx.url);
  }

  static Run runUrl(String... args) {
    return runWith(null, args);
  }

  static Run runWith(Tito tito, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TitoCli.execute(tito, new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(err.toString()).as("never a stack trace").doesNotContain("\tat ", "Exception:");
    return new Run(code, out.toString(), err.toString());
  }

  Run run(String... args) {
    return runWith(fx.tito, args);
  }

  @Test
  void topicsListStatusAndLag() {
    Run list = run("topics", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("TOPIC", "orders", "billing").containsPattern("orders\\s+2\\s+PT168H\\s+3");
    JsonNode json = run("topics", "list", "--json").json();
    assertThat(json.get(0).get("name").asText()).isEqualTo("orders");
    assertThat(json.get(0).get("events").asLong()).isEqualTo(3);

    JsonNode status = run("topics", "status", "orders", "--json").json();
    assertThat(status.get("groups").get(0).get("lag").asLong()).isZero();
    assertThat(status.get("groups").get(0).get("deadLetters").asLong()).isEqualTo(1);
    assertThat(run("topics", "status", "orders").out()).contains("GROUP", "billing");

    JsonNode lag = run("topics", "lag", "orders", "--group", "billing", "--json").json();
    assertThat(lag.get(0).get("partitions")).hasSize(2);
    long heads = lag.get(0).get("partitions").get(0).get("head").asLong()
        + lag.get(0).get("partitions").get(1).get("head").asLong();
    assertThat(heads).isEqualTo(3);
    assertThat(run("topics", "lag", "orders").out()).contains("PARTITION", "CHECKPOINT");
  }

  @Test
  void groupsListStatusAndReset() {
    assertThat(run("groups", "list", "orders").out()).contains("billing");
    JsonNode status = run("groups", "status", "orders", "billing", "--json").json();
    assertThat(status.get("members")).hasSize(1);
    assertThat(status.get("partitions").get(0).get("leaseOwner").isNull()).isFalse();

    int before = fx.handled.size();
    Run reset = run("groups", "reset", "orders", "billing", "--to-earliest", "--json");
    assertThat(reset.code()).isZero();
    assertThat(reset.json().get("lag").asLong()).as("right after the reset").isPositive();
    Fixture.await("replayed", () -> fx.handled.size() == before + 2);

    Run latest = run("groups", "reset", "orders", "billing", "--to-latest");
    assertThat(latest.code()).isZero();
    assertThat(latest.out()).contains("lag 0");
    int p = fx.handled.get(0).partition();
    JsonNode one = run("groups", "reset", "orders", "billing", "--to-position", "0",
        "--partition", Integer.toString(p), "--json").json();
    assertThat(one.get("partitions").get(p).get("checkpoint").asLong()).isZero();
    assertThat(run("groups", "reset", "orders", "billing", "--to-time", "2020-01-01T00:00:00Z")
        .code()).isZero();
  }

  @Test
  void deadLettersListShowRequeueAndDelete() {
    UUID id = fx.deadLetter().id();
    Run list = run("dead-letters", "list", "orders", "billing");
    assertThat(list.out()).contains(id.toString(), "cannot bill b");
    JsonNode shown = run("dead-letters", "show", "orders", "billing", id.toString(), "--json").json();
    assertThat(shown.get("event").get("payload").asText()).isEqualTo("poison-2");
    assertThat(run("dead-letters", "show", "orders", "billing", id.toString()).out())
        .contains("poison-2");

    fx.heal();
    Run requeue = run("dead-letters", "requeue", "orders", "billing", id.toString());
    assertThat(requeue.code()).isZero();
    assertThat(requeue.out()).contains("requeued 1 dead letter");
    Fixture.await("requeued one handled", () -> fx.handled.stream()
        .anyMatch(e -> e.id().equals(id)));
    assertThat(run("dead-letters", "list", "orders", "billing", "--json").json()).isEmpty();
    assertThat(run("dead-letters", "requeue", "orders", "billing", "--all", "--json").json()
        .get("requeued").asInt()).isZero();
    assertThat(run("dead-letters", "delete", "orders", "billing", id.toString()).code())
        .as("already gone").isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void deadLetterDeleteAndRequeueAll() {
    fx.tito.topics().publish("orders", io.tito.pubsub.Message.of("e", Fixture.bytes("poison-5")));
    Fixture.await("two dead letters", () ->
        fx.tito.topics().deadLetters("orders", "billing", 10).size() == 2);
    UUID id = fx.deadLetter().id();
    assertThat(run("dead-letters", "delete", "orders", "billing", id.toString()).out())
        .contains("deleted 1");
    fx.heal();
    assertThat(run("dead-letters", "requeue", "orders", "billing", "--all").out())
        .contains("requeued 1 dead letter");
    Fixture.await("handled", () -> fx.tito.topics().groupStatus("orders", "billing").stream()
        .allMatch(p -> p.requeued() == 0) && fx.handled.size() == 3);
  }

  @Test
  void scheduledListsDueAndPending() {
    JsonNode all = run("scheduled", "list", "orders", "--json").json();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).get("payload").asText()).isEqualTo("later");
    assertThat(run("scheduled", "list", "orders", "--state", "pending", "--json").json()).hasSize(1);
    assertThat(run("scheduled", "list", "orders", "--state", "due", "--json").json()).isEmpty();
    assertThat(run("scheduled", "list", "orders").out()).contains("pending");
  }

  @Test
  void modelsListIndexesBuildAndDrop() {
    JsonNode models = run("models", "list", "--json").json();
    assertThat(models.get(0).get("table").asText()).isEqualTo("customers");
    assertThat(models.get(0).get("indexes").get("by_city").asText()).isEqualTo("DISABLED");
    Run build = run("models", "build", "customers", "by_city", "--batch", "2");
    assertThat(build.code()).isZero();
    assertThat(build.err()).contains("building customers/by_city [", "3 records, 2 batches");
    assertThat(build.out()).contains("READABLE");
    assertThat(fx.tito.module(io.tito.data.DataStore.class).store(Fixture.CUSTOMERS)
        .count("by_city", "Oslo")).isEqualTo(2);
    assertThat(run("models", "indexes", "customers").out()).contains("by_city", "READABLE");
    assertThat(run("models", "list").out()).contains("customers");
    assertThat(run("models", "drop", "customers", "by_city").code())
        .as("still defined by the registered model").isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void byUrlTheStoredMetadataIsReadAndUnknownIndexesDropped() {
    run("models", "build", "customers", "by_city");
    fx.close(); // RocksDB allows one process (here: one open store) per directory
    Run list = runUrl("--url", fx.url, "models", "indexes", "customers", "--json");
    assertThat(list.code()).isZero();
    assertThat(list.json().get("indexes").get("by_city").asText())
        .isEqualTo(IndexState.READABLE.name());
    assertThat(list.json().get("registered").asBoolean()).isFalse();
    Run build = runUrl("--url", fx.url, "models", "build", "customers", "by_city");
    assertThat(build.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(build.err()).contains("needs its model registered");
    assertThat(runUrl("--url", fx.url, "models", "drop", "customers", "by_city").code()).isZero();
    assertThat(runUrl("--url", fx.url, "models", "list", "--json").json()).isEmpty();
    assertThat(runUrl("--url", fx.url, "topics", "list").out()).contains("orders");
  }

  @Test
  void badArgumentsGiveUsageAndNonZeroExitNeverAStackTrace() {
    Run unknown = run("topics", "frobnicate");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("Usage:");
    assertThat(run("groups", "status", "orders").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("dead-letters", "show", "orders", "billing", "not-a-uuid").code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("groups", "reset", "orders", "billing").code()).as("no target")
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("groups", "reset", "orders", "billing", "--to-position", "1").code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("groups", "reset", "orders", "billing", "--to-position", "99", "--partition", "0")
        .code()).as("past the head").isEqualTo(ExitCodes.USAGE);
    assertThat(run("dead-letters", "list", "orders", "billing", "--limit", "0").code())
        .isEqualTo(ExitCodes.USAGE);
    Run missing = run("topics", "status", "nope");
    assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).startsWith("tito: not found");
    assertThat(run("groups", "status", "orders", "nope").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(runUrl("topics", "list", "--url", "").code()).isEqualTo(ExitCodes.USAGE);
    Run badUrl = runUrl("--url", "nosuchengine:x", "topics", "list");
    assertThat(badUrl.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run(new String[0]).code()).as("no command").isEqualTo(ExitCodes.USAGE);
    assertThat(run("--help").code()).isZero();
  }

  @Test
  void completionScriptIsGenerated() {
    Run completion = run("completion");
    assertThat(completion.code()).isZero();
    assertThat(completion.out()).contains("complete -F", "dead-letters", "requeue");
  }
}
