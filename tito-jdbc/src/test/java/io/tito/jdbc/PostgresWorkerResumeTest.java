package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.RetryPolicy;
import io.tito.Tito;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real fault for consumers: a private PostgreSQL instance is killed and started again while a
 * consumer group's worker is subscribed. The worker must survive the outage and go on delivering,
 * and every event published before and after the restart must reach the handler. The outage lasts
 * {@link #OUTAGE} (longer than HikariCP's own reconnect backoff needs to reach its five-second
 * cap); the time from the server's return to the first delivery is printed, not asserted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresWorkerResumeTest {

  static final Duration OUTAGE = Duration.ofSeconds(8);

  @Test
  void aSubscribedWorkerResumesAfterTheServerRestarts() throws Exception {
    try (ThrowawayPostgres pg = ThrowawayPostgres.start();
        Tito tito = Tito.builder()
            .engine(JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(pg.jdbcUrl()).user("postgres")
                .table("tito_kv").poolSize(4).connectionTimeout(Duration.ofSeconds(1)).build()))
            .retryPolicy(RetryPolicy.DEFAULT.withMaxElapsed(Duration.ofSeconds(90)).withMaxAttempts(200))
            .build()) {
      Topics topics = tito.topics();
      topics.createTopic("jobs");
      Set<String> seen = ConcurrentHashMap.newKeySet();
      SubscribeOptions options = SubscribeOptions.builder()
          .pollInterval(Duration.ofMillis(200))
          .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .build();
      try (Subscription worker = topics.subscribe("jobs", "g",
          e -> seen.add(new String(e.payload(), StandardCharsets.UTF_8)), options)) {
        publish(tito, topics, "before", 20);
        awaitAll(seen, expected("before", 20));

        pg.stopImmediately();
        // The outage is part of the scenario, not a wait for something: the pool keeps failing
        // to connect meanwhile (workers poll), so its reconnect backoff grows.
        long downUntil = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() < downUntil) {
          Thread.sleep(Math.max(1, (downUntil - System.nanoTime()) / 1_000_000));
        }
        pg.startServer();
        long back = System.nanoTime();
        publish(tito, topics, "first", 1);
        awaitAll(seen, expected("first", 1));
        System.out.printf("worker resumed %d ms after the server accepted connections again"
            + " (outage %d s)%n", (System.nanoTime() - back) / 1_000_000, OUTAGE.toSeconds());

        publish(tito, topics, "after", 20);
        Set<String> all = expected("before", 20);
        all.addAll(expected("first", 1));
        all.addAll(expected("after", 20));
        awaitAll(seen, all);
        assertThat(seen).isEqualTo(all);
      }
    }
  }

  private static void publish(Tito tito, Topics topics, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String body = prefix + "-" + i;
      tito.inTransaction(tx -> topics.publish(tx, "jobs",
          Message.of("k" + body.hashCode() % 5, body.getBytes(StandardCharsets.UTF_8))));
    }
  }

  private static Set<String> expected(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i)
        .collect(Collectors.toCollection(ConcurrentHashMap::newKeySet));
  }

  /** Waits until {@code seen} holds every expected event; fails (not hangs) after two minutes. */
  private static void awaitAll(Set<String> seen, Set<String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Set<String> missing = new java.util.TreeSet<>(expected);
    missing.removeAll(seen);
    assertThat(missing).as("events not delivered").isEmpty();
  }
}
