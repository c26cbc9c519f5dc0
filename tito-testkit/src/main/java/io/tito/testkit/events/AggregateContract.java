package io.tito.testkit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.events.AggregateRepository;
import io.tito.events.EventData;
import io.tito.events.Loaded;
import io.tito.events.RecordedEvent;
import io.tito.events.Snapshotter;
import io.tito.events.WrongExpectedVersionException;
import io.tito.testkit.events.BankAccounts.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Aggregates: commit with the loaded version as expected version, a validator that refuses,
 * snapshots every N events and from the background snapshotter, always equal to a replay from
 * zero (randomised, seeds printed on failure), and snapshots of another schema version ignored.
 */
public interface AggregateContract extends EventStoreFixture {

  private AggregateRepository<Account> repo(int schema, long snapshotEvery) {
    return AggregateRepository.builder(events(), BankAccounts.aggregate(schema))
        .snapshotEvery(snapshotEvery)
        .validator((state, evs) -> {
          if (state.balance() < 0) {
            throw new IllegalStateException("overdrawn");
          }
        })
        .build();
  }

  @Test
  default void commitUsesTheLoadedVersionAndTheValidatorCanRefuse() {
    AggregateRepository<Account> repo = repo(1, 0);
    Loaded<Account> fresh = repo.load("acc-1");
    assertThat(fresh.version()).isZero();
    assertThat(fresh.state()).isEqualTo(new Account(0, 0));
    Loaded<Account> after = repo.commit(fresh, List.of(BankAccounts.deposited(100), BankAccounts.withdrawn(30)));
    assertThat(after.version()).isEqualTo(2);
    assertThat(after.state()).isEqualTo(new Account(70, 2));
    assertThat(repo.load("acc-1")).isEqualTo(after);
    assertThatThrownBy(() -> repo.commit(fresh, List.of(BankAccounts.deposited(1))))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThatThrownBy(() -> repo.commit(after, List.of(BankAccounts.withdrawn(71))))
        .isInstanceOf(IllegalStateException.class).hasMessage("overdrawn");
    assertThat(repo.load("acc-1")).isEqualTo(after);
    assertThat(events().streamInfo("acc-1").version()).isEqualTo(2);
  }

  /**
   * The validator sees the committed events exactly as a read of the stream returns them after
   * the commit (the repository builds them without reading them back), position aside.
   */
  @Test
  default void theValidatorSeesTheEventsAsTheyAreStored() {
    List<RecordedEvent> seen = new ArrayList<>();
    AggregateRepository<Account> repo = AggregateRepository.builder(events(), BankAccounts.aggregate(1))
        .validator((state, evs) -> {
          seen.clear();
          seen.addAll(evs);
        })
        .build();
    Loaded<Account> l = repo.commit(repo.load("seen"), List.of(BankAccounts.deposited(3)));
    EventData detailed = EventData.builder("Deposited").json("{\"value\": 5}")
        .header("tenant", "acme").header("trace", "t-1").causationId("cmd-1").correlationId("conv-1")
        .createdAt(Instant.parse("2026-01-02T03:04:05.123456789Z")).build();
    repo.commit(l, List.of(detailed, BankAccounts.withdrawn(2)));
    List<RecordedEvent> stored = events().readStream("seen", 2, 10).events();
    assertThat(seen).hasSize(2);
    assertThat(stored).hasSize(2);
    for (int i = 0; i < 2; i++) {
      RecordedEvent a = seen.get(i);
      RecordedEvent b = stored.get(i);
      assertThat(a.position()).as("no position before the commit").isNull();
      assertThat(a.streamId()).isEqualTo(b.streamId());
      assertThat(a.version()).isEqualTo(b.version()).isEqualTo(i + 2L);
      assertThat(a.eventId()).isEqualTo(b.eventId());
      assertThat(a.type()).isEqualTo(b.type());
      assertThat(a.payload()).isEqualTo(b.payload());
      assertThat(a.headers()).isEqualTo(b.headers());
      assertThat(a.causationId()).isEqualTo(b.causationId());
      assertThat(a.correlationId()).isEqualTo(b.correlationId());
      assertThat(a.createdAt()).as("created-at at the stored precision").isEqualTo(b.createdAt());
    }
    assertThat(seen.get(0).createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    assertThat(seen.get(0).headers()).containsEntry("tenant", "acme");
  }

  @Test
  default void snapshotsEqualAReplayFromZero() {
    long seed = Long.getLong("tito.testkit.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int run = 0; run < 4; run++) {
      long every = 1 + random.nextInt(7);
      AggregateRepository<Account> repo = repo(1, every);
      String stream = "snap-" + run;
      Loaded<Account> current = repo.load(stream);
      // At least 8 commits of at least one event: a run always crosses a multiple of every (<= 7).
      int commits = 8 + random.nextInt(12);
      long expectedSnapshot = 0;
      for (int c = 0; c < commits; c++) {
        List<EventData> batch = new ArrayList<>();
        int size = 1 + random.nextInt(4);
        // The balance the batch leaves so far: a withdrawal never overdraws it (the validator
        // would refuse the commit).
        long balance = current.state().balance();
        for (int i = 0; i < size; i++) {
          if (random.nextInt(3) == 0 && balance > 10) {
            int amount = 1 + random.nextInt(10);
            balance -= amount;
            batch.add(BankAccounts.withdrawn(amount));
          } else {
            int amount = 1 + random.nextInt(50);
            balance += amount;
            batch.add(BankAccounts.deposited(amount));
          }
        }
        long before = current.version();
        current = repo.commit(current, batch);
        if (current.version() / every > before / every) {
          expectedSnapshot = current.version(); // the commit crossed a multiple of every
        }
        Loaded<Account> loaded = repo.load(stream);
        Loaded<Account> replayed = repo.loadFromEvents(stream);
        assertThat(loaded.state()).as("seed %d, run %d, commit %d", seed, run, c).isEqualTo(replayed.state());
        assertThat(loaded.version()).isEqualTo(replayed.version()).isEqualTo(current.version());
        assertThat(loaded.state()).isEqualTo(current.state());
        assertThat(loaded.snapshotVersion()).as("seed %d: the last commit that crossed a multiple of %d", seed, every)
            .isEqualTo(current.snapshotVersion()).isEqualTo(expectedSnapshot);
      }
      assertThat(current.snapshotVersion()).as("seed %d", seed).isPositive();
    }
  }

  @Test
  default void aSnapshotOfAnotherSchemaVersionIsIgnored() {
    AggregateRepository<Account> v1 = repo(1, 2);
    Loaded<Account> l = v1.commit(v1.load("schema"), List.of(BankAccounts.deposited(5), BankAccounts.deposited(6)));
    assertThat(v1.load("schema").snapshotVersion()).isEqualTo(2);
    AggregateRepository<Account> v2 = repo(2, 0);
    Loaded<Account> fromEvents = v2.load("schema");
    assertThat(fromEvents.snapshotVersion()).isZero();
    assertThat(fromEvents.state()).isEqualTo(l.state());
  }

  @Test
  default void theSnapshotterCompactsStreamsPastTheThreshold() throws Exception {
    AggregateRepository<Account> repo = repo(1, 0);
    for (int s = 0; s < 5; s++) {
      Loaded<Account> l = repo.load("bg-" + s);
      for (int i = 0; i < s + 1; i++) {
        l = repo.commit(l, List.of(BankAccounts.deposited(1), BankAccounts.deposited(2)));
      }
    }
    try (Snapshotter<Account> snapshotter = Snapshotter.builder(repo).threshold(5).batchSize(2).build()) {
      assertThat(snapshotter.runOnce()).isEqualTo(2);
      assertThat(snapshotter.runUntilIdle()).isEqualTo(3);
      assertThat(snapshotter.runOnce()).isZero();
    }
    for (int s = 0; s < 5; s++) {
      Loaded<Account> l = repo.load("bg-" + s);
      long expected = 2L * (s + 1) >= 5 ? 2L * (s + 1) : 0;
      assertThat(l.snapshotVersion()).as("stream bg-%d with %d events", s, l.version()).isEqualTo(expected);
      assertThat(l.state()).isEqualTo(repo.loadFromEvents("bg-" + s).state());
    }
    // Forever mode: a new commit is picked up without a call, observed by polling with a deadline.
    try (Snapshotter<Account> snapshotter = Snapshotter.builder(repo).threshold(1)
        .idleInterval(Duration.ofMillis(20)).build()) {
      snapshotter.start();
      Loaded<Account> l = repo.load("bg-0");
      Loaded<Account> after = repo.commit(l, List.of(BankAccounts.deposited(9)));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (repo.load("bg-0").snapshotVersion() != after.version()) {
        assertThat(System.nanoTime()).as("snapshot taken in the background").isLessThan(deadline);
        Thread.onSpinWait();
        Thread.sleep(5);
      }
    }
  }
}
