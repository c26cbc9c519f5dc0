package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tito.admin.CliContract.Run;
import io.tito.admin.cli.ExitCodes;
import io.tito.admin.cli.TitoCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every event store command of the CLI against a real store, by URL (a separate store object,
 * as an operator's shell has) and inside the application with its handlers registered
 * ({@link TitoCli#executeWith}); subclasses choose the engine.
 */
abstract class EventsCliContract {

  abstract String freshUrl();

  EventsFixture fx;

  @BeforeEach
  void open() {
    fx = new EventsFixture(freshUrl()).withWork();
  }

  @AfterEach
  void close() {
    fx.close();
    Stores.drop(fx.url);
    Stores.deleteDir(fx.url);
  }

  /** By URL: the CLI opens its own store object on the same engine (RocksDB: the same one). */
  Run url(String... args) {
    if (fx.url.startsWith("rocksdb:")) {
      // RocksDB allows one process-wide opener of a directory: use the application's store.
      return CliContract.runWith(fx.tito, args);
    }
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--url");
    all.add(fx.url);
    return CliContract.runUrl(all.toArray(String[]::new));
  }

  /** Inside the application, with the counter and tally registered. */
  Run app(TitoAdmin admin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TitoCli.executeWith(admin, new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(err.toString()).as("never a stack trace").doesNotContain("\tat ", "Exception:");
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void streamsResolveReadAndReadAll() {
    Run resolve = url("streams", "resolve", "orders:1");
    assertThat(resolve.code()).isZero();
    assertThat(resolve.out().trim()).isEqualTo(fx.order1);
    assertThat(url("streams", "resolve", "orders:1", "--json").json().get("streamId").asText())
        .isEqualTo(fx.order1);
    assertThat(url("streams", "resolve", "orders:404").code()).isEqualTo(ExitCodes.NOT_FOUND);

    Run read = url("streams", "read", fx.order1);
    assertThat(read.code()).isZero();
    assertThat(read.out()).contains("version 3", "OrderPlaced", "ItemAdded", "OrderShipped", "\"sku\":\"book\"");
    JsonNode page = url("streams", "read", fx.order1, "--json").json();
    assertThat(page.get("events")).hasSize(3);
    assertThat(page.get("events").get(0).get("data").get("sku").asText()).isEqualTo("book");
    assertThat(page.get("isEnd").asBoolean()).isTrue();

    Run back = url("streams", "read", fx.order1, "--backward", "--limit", "1");
    assertThat(back.out()).contains("OrderShipped").doesNotContain("OrderPlaced")
        .contains("more: --from 2 --backward");
    JsonNode typed = url("streams", "read", fx.order1, "--type", "ItemAdded", "--json").json();
    assertThat(typed.get("events")).hasSize(1);
    assertThat(typed.get("events").get(0).get("version").asLong()).isEqualTo(2);

    JsonNode first = url("streams", "all", "--limit", "5", "--json").json();
    assertThat(first.get("events")).hasSize(5);
    assertThat(first.get("isEnd").asBoolean()).isFalse();
    String last = first.get("lastPosition").asText();
    JsonNode rest = url("streams", "all", "--from-position", last, "--json").json();
    assertThat(rest.get("events")).hasSize(EventsFixture.EVENTS - 5);
    assertThat(rest.get("events").get(0).get("position").asText()).isNotEqualTo(last);
    assertThat(url("streams", "all", "--type", "Poison").out()).contains("poison-1")
        .doesNotContain("order-2");
    assertThat(url("streams", "all", "--stream-prefix", "tally-", "--json").json().get("events"))
        .hasSize(3);
    assertThat(url("streams", "all", "--limit", "2").out()).contains("more: --from-position ");

    fx.events.tombstone("order-2");
    Run deleted = url("streams", "read", "order-2");
    assertThat(deleted.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(deleted.err()).contains("not found");
  }

  @Test
  void byUrlWithTheApplicationStopped() {
    fx.close(); // RocksDB allows one open store per directory
    JsonNode list = CliContract.runUrl("--url", fx.url, "projections", "list", "--json").json();
    assertThat(list.get(0).get("name").asText()).isEqualTo("counter");
    assertThat(list.get(0).get("deadLetters").asInt()).isEqualTo(1);
    assertThat(list.get(0).get("registered").asBoolean()).isFalse();
    assertThat(CliContract.runUrl("--url", fx.url, "streams", "read", fx.order1, "--json").json()
        .get("events")).hasSize(3);
    assertThat(CliContract.runUrl("--url", fx.url, "projections", "pause", "counter", "--json").json()
        .get("paused").asBoolean()).isTrue();
    assertThat(CliContract.runUrl("--url", fx.url, "subscriptions", "list").out()).contains("feed");
    Run rebuild = CliContract.runUrl("--url", fx.url, "projections", "rebuild", "counter");
    assertThat(rebuild.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(rebuild.err()).contains("registered in this process");
  }

  @Test
  void badArgumentsGiveUsageAndExitTwo() {
    Run badPosition = url("streams", "all", "--from-position", "abc");
    assertThat(badPosition.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badPosition.err()).contains("not a position", "Usage:");
    assertThat(url("streams", "read", fx.order1, "--limit", "0").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(url("streams", "read").err()).contains("Missing required parameter", "Usage:");
    Run noTarget = url("projections", "reset", "counter");
    assertThat(noTarget.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noTarget.err()).contains("Usage:");
    assertThat(url("projections", "run-until-idle", "counter", "--timeout", "soon").err())
        .contains("not a positive duration");
    assertThat(url("projections", "frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(url("projections", "status", "nobody").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(url("projections", "dead-letters", "requeue", "counter").err())
        .contains("give either ID or --all");
  }

  @Test
  void projectionsListStatusPauseResume() {
    Run list = url("projections", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("NAME", "counter", "active");
    JsonNode json = url("projections", "list", "--json").json();
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("name").asText()).isEqualTo("counter");
    assertThat(json.get(0).get("lag").asLong()).isZero();
    assertThat(json.get(0).get("deadLetters").asInt()).isEqualTo(1);

    assertThat(url("projections", "pause", "counter", "--json").json().get("paused").asBoolean()).isTrue();
    assertThat(fx.events.projections().status("counter").paused()).isTrue();
    assertThat(url("projections", "status", "counter").out()).contains("paused");
    assertThat(url("projections", "resume", "counter", "--json").json().get("paused").asBoolean()).isFalse();
    assertThat(fx.events.projections().status("counter").paused()).isFalse();
  }

  @Test
  void projectionsResetMovesTheCheckpoint() {
    JsonNode start = url("projections", "reset", "counter", "--to-beginning", "--json").json();
    assertThat(start.get("position").asText()).isEqualTo("0.0");
    assertThat(start.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    String third = fx.events.readAll(io.tito.Stamp.ZERO, 3, io.tito.events.EventFilter.ALL)
        .lastPosition().toString();
    JsonNode at = url("projections", "reset", "counter", "--to-position", third, "--json").json();
    assertThat(at.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS - 3);
    assertThat(url("projections", "reset", "counter", "--to-end", "--json").json().get("lag").asLong())
        .isZero();
  }

  @Test
  void rebuildAndRunsNeedTheHandlerRegisteredHere() {
    for (String cmd : List.of("rebuild", "run-once", "run-until-idle")) {
      Run byUrl = url("projections", cmd, "counter");
      assertThat(byUrl.code()).as(cmd).isEqualTo(ExitCodes.USAGE);
      assertThat(byUrl.err()).contains("registered in this process");
    }
    TitoAdmin admin = fx.registeredAdmin();
    assertThat(fx.count("OrderPlaced")).isEqualTo(2);

    Run rebuilt = app(admin, "projections", "rebuild", "counter", "--catch-up");
    assertThat(rebuilt.code()).isZero();
    assertThat(rebuilt.err()).contains("catching up counter", EventsFixture.EVENTS + " events");
    assertThat(rebuilt.out()).contains("counter");
    assertThat(fx.count("OrderPlaced")).isEqualTo(2);
    assertThat(fx.count("Counted")).isEqualTo(3);
    // The rebuild dropped the dead letter; the poison failed again (one attempt).
    assertThat(fx.events.projections().deadLetters("counter", 10)).hasSize(1);

    app(admin, "projections", "reset", "counter", "--to-beginning");
    JsonNode once = app(admin, "projections", "run-once", "counter", "--batch", "2", "--json").json();
    assertThat(once.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS - 2);
    JsonNode idle = app(admin, "projections", "run-until-idle", "counter", "--json").json();
    assertThat(idle.get("lag").asLong()).isZero();
    assertThat(idle.get("registered").asBoolean()).isTrue();
  }

  @Test
  void projectionDeadLettersListShowRequeueDelete() {
    Run list = url("projections", "dead-letters", "list", "counter");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("poison-1", "Poison", "cannot count poison-1");
    UUID id = fx.events.projections().deadLetters("counter", 10).get(0).id();
    JsonNode show = url("projections", "dead-letters", "show", "counter", id.toString(), "--json").json();
    assertThat(show.get("event").get("type").asText()).isEqualTo("Poison");
    assertThat(show.get("event").get("data").get("bad").asBoolean()).isTrue();
    assertThat(url("projections", "dead-letters", "show", "counter", UUID.randomUUID().toString()).code())
        .isEqualTo(ExitCodes.NOT_FOUND);

    fx.heal();
    Run requeue = url("projections", "dead-letters", "requeue", "counter", id.toString());
    assertThat(requeue.out()).contains("requeued 1 dead letter");
    assertThat(url("projections", "dead-letters", "list", "counter", "--json").json()).isEmpty();
    // The application's runner handles the requeued event before going on with $all.
    try (var runner = fx.events.projections().start(fx.counter, EventsFixture.ONE_ATTEMPT)) {
      Fixture.await("requeued poison counted", () -> fx.count("Poison") == 1);
    }

    assertThat(url("projections", "dead-letters", "delete", "counter", id.toString()).code())
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(url("projections", "dead-letters", "requeue", "counter", "--all", "--json").json()
        .get("requeued").asInt()).isZero();
  }

  @Test
  void subscriptionsListStatusPauseResumeAndDeadLetters() {
    Run list = url("subscriptions", "list");
    assertThat(list.out()).contains("feed");
    JsonNode feed = url("subscriptions", "status", "feed", "--json").json();
    assertThat(feed.get("kind").asText()).isEqualTo("subscription");
    assertThat(feed.get("deadLetters").asInt()).isEqualTo(1);
    assertThat(url("subscriptions", "pause", "feed", "--json").json().get("paused").asBoolean()).isTrue();
    assertThat(url("subscriptions", "resume", "feed", "--json").json().get("paused").asBoolean()).isFalse();
    assertThat(url("subscriptions", "status", "counter").code()).isEqualTo(ExitCodes.NOT_FOUND);

    UUID id = fx.events.subscriptions().deadLetters("feed", 10).get(0).id();
    assertThat(url("subscriptions", "dead-letters", "list", "feed").out()).contains(id.toString(), "cannot feed");
    assertThat(url("subscriptions", "dead-letters", "delete", "feed", id.toString(), "--json").json()
        .get("deleted").asInt()).isEqualTo(1);
    assertThat(fx.events.subscriptions().deadLetters("feed", 10)).isEmpty();
  }

  @Test
  void subscriptionDeadLetterRequeuedAllIsFed() {
    fx.heal();
    Run all = url("subscriptions", "dead-letters", "requeue", "feed", "--all");
    assertThat(all.out()).contains("requeued 1 dead letter");
    Fixture.await("poison fed", () -> fx.fed.stream().anyMatch(e -> e.type().equals("Poison")));
  }

  /** Closes the fixture's worker of "feed" so that nothing moves its checkpoint behind the test. */
  void stopFeed() {
    fx.feed.close();
    fx.feed = null;
  }

  @Test
  void subscriptionsResetToEachKindOfStart() {
    stopFeed();
    io.tito.Stamp head = fx.events.headPosition();
    JsonNode start = url("subscriptions", "reset", "feed", "--to", "beginning", "--json").json();
    assertThat(start.get("position").asText()).isEqualTo("0.0");
    assertThat(start.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    assertThat(url("subscriptions", "status", "feed", "--json").json().get("lag").asLong())
        .isEqualTo(EventsFixture.EVENTS);

    String third = fx.events.readAll(io.tito.Stamp.ZERO, 3, io.tito.events.EventFilter.ALL)
        .lastPosition().toString();
    Run at = url("subscriptions", "reset", "feed", "--to", "position:" + third);
    assertThat(at.code()).isZero();
    assertThat(at.out()).contains("feed", third);
    JsonNode status = url("subscriptions", "status", "feed", "--json").json();
    assertThat(status.get("position").asText()).isEqualTo(third);
    assertThat(status.get("lag").asLong()).isEqualTo(EventsFixture.EVENTS - 3);

    JsonNode end = url("subscriptions", "reset", "feed", "--to", "end", "--json").json();
    assertThat(end.get("position").asText()).isEqualTo(head.toString());
    assertThat(end.get("lag").asLong()).isZero();

    assertThat(url("subscriptions", "reset", "feed", "--to", "time:2000-01-01T00:00:00Z", "--json")
        .json().get("lag").asLong()).isEqualTo(EventsFixture.EVENTS);
    assertThat(url("subscriptions", "status", "feed", "--json").json().get("lag").asLong())
        .isEqualTo(EventsFixture.EVENTS);
    java.time.Instant last = fx.events.readAll(io.tito.Stamp.ZERO, EventsFixture.EVENTS,
        io.tito.events.EventFilter.ALL).events().get(EventsFixture.EVENTS - 1).createdAt();
    long lagFromLast = url("subscriptions", "reset", "feed", "--to", "time:" + last, "--json")
        .json().get("lag").asLong();
    assertThat(lagFromLast).isBetween(1L, (long) EventsFixture.EVENTS);
    JsonNode future = url("subscriptions", "reset", "feed", "--to", "time:2999-01-01T00:00:00Z",
        "--json").json();
    assertThat(future.get("lag").asLong()).isZero();
    assertThat(future.get("deadLetters").asInt()).as("dead letters are kept").isEqualTo(1);
  }

  @Test
  void subscriptionsResetBadArguments() {
    Run nowhere = url("subscriptions", "reset", "feed", "--to", "somewhere");
    assertThat(nowhere.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(nowhere.err()).contains("not a start", "Usage:");
    assertThat(url("subscriptions", "reset", "feed", "--to", "time:yesterday").err())
        .contains("not a time");
    assertThat(url("subscriptions", "reset", "feed", "--to", "position:x").err())
        .contains("not a position");
    assertThat(url("subscriptions", "reset", "feed").err()).contains("Missing required option");
    assertThat(url("subscriptions", "reset", "nobody", "--to", "end").code())
        .isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void subscriptionsDeleteIsRefusedWhileAWorkerRunsThenDeletesTheGroup() {
    Run refused = url("subscriptions", "delete", "feed");
    assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("live worker", "group=feed").doesNotContain("Usage:");
    assertThat(fx.events.subscriptions().deadLetters("feed", 10)).as("nothing deleted").hasSize(1);

    stopFeed();
    Run deleted = url("subscriptions", "delete", "feed");
    assertThat(deleted.code()).isZero();
    assertThat(deleted.out()).contains("deleted subscription group feed");
    assertThat(url("subscriptions", "status", "feed").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(url("subscriptions", "list").out()).doesNotContain("feed");
    assertThat(fx.events.subscriptions().names()).doesNotContain("feed");
    Run again = url("subscriptions", "delete", "feed", "--json");
    assertThat(again.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(again.err()).contains("not found");
  }

  @Test
  void subscriptionsDeleteJson() {
    stopFeed();
    assertThat(url("subscriptions", "delete", "feed", "--json").json().get("deleted").asText())
        .isEqualTo("feed");
  }

  @Test
  void projectionsDeleteNeedsForceIsRefusedWhileARunnerRunsAndKeepsTheReadModel() throws Exception {
    Run unforced = url("projections", "delete", "counter");
    assertThat(unforced.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unforced.err()).contains("force").doesNotContain("Usage:");
    assertThat(url("projections", "status", "counter").code()).as("still there").isZero();

    try (var runner = fx.events.projections().start(fx.counter, EventsFixture.ONE_ATTEMPT)) {
      fx.events.append("order-3", io.tito.events.ExpectedVersion.NO_STREAM,
          io.tito.events.EventData.of("OrderPlaced", java.util.Map.of("sku", "mug")));
      Fixture.await("the runner counted order-3", () -> fx.count("OrderPlaced") == 3);
      Run refused = url("projections", "delete", "counter", "--force");
      assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.err()).contains("live runner", "projection=counter").doesNotContain("Usage:");
      assertThat(fx.events.projections().deadLetters("counter", 10)).as("nothing deleted").hasSize(1);
    }

    Run deleted = url("projections", "delete", "counter", "--force");
    assertThat(deleted.code()).isZero();
    assertThat(deleted.out()).contains("deleted projection counter");
    assertThat(url("projections", "status", "counter").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(url("projections", "list").out()).doesNotContain("counter");
    assertThat(fx.count("OrderPlaced")).as("the read model is the application's").isEqualTo(3);
    Run again = url("projections", "delete", "counter", "--force", "--json");
    assertThat(again.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(again.err()).contains("not found");
  }

  @Test
  void projectionsDeleteJson() {
    assertThat(url("projections", "delete", "counter", "--force", "--json").json().get("deleted").asText())
        .isEqualTo("counter");
    assertThat(fx.events.projections().names()).doesNotContain("counter");
  }

  @Test
  void projectionsAndSubscriptionsShareListStatusPauseResumeHelp() {
    for (String area : List.of("projections", "subscriptions")) {
      Run help = url(area, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("All " + area + ": position", "status", "pause", "resume", "delete");
    }
  }

  @Test
  void topicsListHidesTheEventStoreTopicUnlessAll() {
    assertThat(fx.tito.topics().topicNames()).contains(io.tito.events.EventStore.CONSUMER_TOPIC);
    Run list = url("topics", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).doesNotContain("$events");
    assertThat(url("topics", "list", "--all").out()).contains("$events");
    assertThat(url("topics", "list", "--all", "--json").json().findValuesAsText("name"))
        .contains("$events");
  }

  @Test
  void snapshotsCompactNeedsTheRepositoryRegisteredHere() {
    Run byUrl = url("snapshots", "compact");
    assertThat(byUrl.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(byUrl.err()).contains("registered in this process");
    assertThat(fx.tallies.load("tally-1").snapshotVersion()).isZero();

    TitoAdmin admin = fx.registeredAdmin();
    assertThat(app(admin, "snapshots", "compact", "--aggregate", "nope").code()).isEqualTo(ExitCodes.USAGE);
    Run compact = app(admin, "snapshots", "compact");
    assertThat(compact.code()).isZero();
    assertThat(compact.out()).containsPattern("tally\\s+1");
    assertThat(compact.err()).contains("compacting snapshots: 1 streams processed");
    assertThat(fx.tallies.load("tally-1").snapshotVersion()).isEqualTo(3);
    JsonNode again = app(admin, "snapshots", "compact", "--json").json();
    assertThat(again.get(0).get("streams").asLong()).isZero();
  }
}
