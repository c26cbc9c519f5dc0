package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.VersionConflictException;
import io.tito.data.DataStore;
import io.tito.data.Patch;
import io.tito.data.RecordChange;
import io.tito.data.Versioned;
import io.tito.testkit.data.DataModels.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Insert, save, update, patch, delete, soft delete, versions, timestamps, hooks. */
public interface CrudContract extends DataFixture {

  private static User ada() {
    return User.of("ada", "ada@example.com", "Ada", "UK", 36);
  }

  @Test
  default void insertThenFindReturnsVersionOne() {
    Versioned<User> v = users().insert(ada());
    assertThat(v.version()).isEqualTo(1);
    assertThat(v.id()).isEqualTo("ada");
    Versioned<User> found = users().findById("ada").orElseThrow();
    assertThat(found.value()).isEqualTo(ada());
    assertThat(found.version()).isEqualTo(1);
    assertThat(found.deleted()).isFalse();
    assertThat(users().exists("ada")).isTrue();
    assertThat(users().exists("bob")).isFalse();
    assertThat(users().findById("bob")).isEmpty();
  }

  @Test
  default void insertOfAnExistingIdFailsWithAlreadyExists() {
    users().insert(ada());
    assertThatThrownBy(() -> users().insert(ada().withName("Other")))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("ada");
    assertThat(users().findById("ada").orElseThrow().value().name()).isEqualTo("Ada");
  }

  /**
   * Where the engine judges expectations in its commit, an insert in a retried transaction guesses
   * its id and unique values free instead of reading them ({@link io.tito.Transaction#mayGuessReads}).
   * A wrong guess costs exactly one more attempt, which reads and reports the taken id or value
   * from the insert itself; nothing of the transaction is written. Without retries nothing is
   * guessed: one attempt, the same error from the insert.
   */
  @Test
  default void aTakenIdOrValueInARetriedTransactionIsReportedByTheInsertAndNothingIsWritten() {
    users().insert(ada());
    boolean guesses = tito().engine().capabilities()
        .contains(io.tito.spi.Capability.DEFERRED_EXPECTATIONS);
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    User carl = User.of("carl", "carl@example.com", "Carl", "SE", 40);
    for (User taken : List.of(ada().withName("Other"), User.of("dora", "ada@example.com", "Dora", "UK", 2))) {
      attempts.set(0);
      assertThatThrownBy(() -> tito().inTransaction(tx -> {
        attempts.incrementAndGet();
        users().insert(tx, carl);
        users().insert(tx, taken);
      })).as("inserting %s", taken.id()).isInstanceOf(AlreadyExistsException.class);
      assertThat(attempts.get()).as("attempts, guessing: %s", guesses).isEqualTo(guesses ? 2 : 1);
      assertThat(users().exists("carl")).isFalse();
      assertThat(users().exists("dora")).isFalse();
      attempts.set(0);
      assertThatThrownBy(() -> tito().transaction(io.tito.RetryPolicy.NONE, tx -> {
        attempts.incrementAndGet();
        return users().insert(tx, taken);
      })).isInstanceOf(AlreadyExistsException.class);
      assertThat(attempts.get()).as("no retries, no guess").isEqualTo(1);
    }
    assertThat(tito().transaction(tx -> users().insert(tx, carl)).version()).isEqualTo(1);
    assertThat(users().findById("ada").orElseThrow().value().name()).isEqualTo("Ada");
  }

  @Test
  default void everyWriteIncreasesTheVersion() {
    users().insert(ada());
    assertThat(users().update(ada().withAge(37)).version()).isEqualTo(2);
    assertThat(users().save(ada().withAge(38)).version()).isEqualTo(3);
    assertThat(users().patch("ada", Patch.set("/age", 39)).version()).isEqualTo(4);
    assertThat(users().softDelete("ada").version()).isEqualTo(5);
    assertThat(users().restore("ada").version()).isEqualTo(6);
    Versioned<User> v = users().findById("ada").orElseThrow();
    assertThat(v.version()).isEqualTo(6);
    assertThat(v.value().age()).isEqualTo(39);
  }

  @Test
  default void saveInsertsOrReplaces() {
    assertThat(users().save(ada()).version()).isEqualTo(1);
    assertThat(users().save(ada().withName("Ada L")).version()).isEqualTo(2);
    assertThat(users().findById("ada").orElseThrow().value().name()).isEqualTo("Ada L");
  }

  @Test
  default void updateWithExpectedVersionDetectsAConcurrentChange() {
    long v1 = users().insert(ada()).version();
    users().update(ada().withAge(40), v1);
    assertThatThrownBy(() -> users().update(ada().withAge(41), v1))
        .isInstanceOf(VersionConflictException.class)
        .satisfies(e -> assertThat(((VersionConflictException) e).context())
            .containsEntry("expected", 1L).containsEntry("actual", 2L));
    assertThatThrownBy(() -> users().patch("ada", Patch.set("/age", 1), v1))
        .isInstanceOf(VersionConflictException.class);
    assertThat(users().findById("ada").orElseThrow().value().age()).isEqualTo(40);
  }

  @Test
  default void racingUpdatesWithTheSameExpectedVersionLetExactlyOneWin() throws Exception {
    long v1 = users().insert(ada()).version();
    int writers = 6;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < writers; i++) {
        int age = 100 + i;
        results.add(pool.submit(() -> {
          start.await();
          try {
            users().update(ada().withAge(age), v1);
            return true;
          } catch (VersionConflictException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int wins = 0;
      for (var f : results) {
        wins += f.get(60, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    }
    Versioned<User> after = users().findById("ada").orElseThrow();
    assertThat(after.version()).isEqualTo(2);
    assertThat(users().query("by_country_age").eq("UK", after.value().age()).page().items())
        .hasSize(1);
  }

  @Test
  default void updateAndPatchOfAMissingRecordFailWithNotFound() {
    assertThatThrownBy(() -> users().update(ada())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> users().patch("ada", Patch.set("/age", 1)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> users().softDelete("ada")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> users().restore("ada")).isInstanceOf(NotFoundException.class);
  }

  @Test
  default void patchChangesFieldsByPathAndReindexes() {
    users().insert(ada().withTags(List.of("math")));
    Versioned<User> v = users().patch("ada", Patch.set("/email", "ada@lovelace.org")
        .andSet("/tags/-", "poetry").andRemove("/country"));
    assertThat(v.value().email()).isEqualTo("ada@lovelace.org");
    assertThat(v.value().tags()).containsExactly("math", "poetry");
    assertThat(v.value().country()).isNull();
    assertThat(users().query("by_email").eq("ada@lovelace.org").page().values()).containsExactly(v.value());
    assertThat(users().query("by_email").eq("ada@example.com").page().items()).isEmpty();
    assertThat(users().count("by_tag", "poetry")).isEqualTo(1);
    assertThat(users().findById("ada").orElseThrow().value()).isEqualTo(v.value());
  }

  @Test
  default void patchMayNotChangeTheIdOrBreakTheType() {
    users().insert(ada());
    assertThatThrownBy(() -> users().patch("ada", Patch.set("/id", "eve")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("id");
    assertThatThrownBy(() -> users().patch("ada", Patch.set("/age", "not a number")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Patch.set("age", 1)).isInstanceOf(InvalidArgumentException.class);
    assertThat(users().findById("ada").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  default void aPatchPathThatNamesNoFieldIsRejectedAndWritesNothing() {
    List<RecordChange> seen = new ArrayList<>();
    DataStore hooked = DataStore.models().model(models().users())
        .hook((tx, change) -> seen.add(change)).open(tito());
    hooked.store(models().users()).insert(ada().withTags(List.of("math")));
    seen.clear();
    for (Patch bad : List.of(Patch.set("/nickname", "Ada"), Patch.remove("/nickname"),
        Patch.set("/age", 40).andSet("/agee", 41), Patch.set("/email/local", "x"),
        Patch.set("/tags/first", "x"))) {
      assertThatThrownBy(() -> hooked.store(models().users()).patch("ada", bad))
          .as("%s", bad).isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("patch path");
    }
    assertThat(seen).isEmpty();
    assertThat(users().findById("ada").orElseThrow().version()).isEqualTo(1);
    assertThat(users().findById("ada").orElseThrow().value().age()).isEqualTo(36);
    // known paths, nested ones included, still apply
    assertThat(users().patch("ada", Patch.set("/tags/0", "logic").andSet("/tags/-", "poetry")
        .andRemove("/country")).value().tags()).containsExactly("logic", "poetry");
  }

  @Test
  default void deleteRemovesTheRecordAndItsIndexEntries() {
    users().insert(ada().withTags(List.of("a", "b")));
    assertThat(users().delete("ada")).isTrue();
    assertThat(users().delete("ada")).isFalse();
    assertThat(users().findById("ada")).isEmpty();
    assertThat(users().count("by_tag")).isZero();
    assertThat(IndexAudit.actual(tito(), users())).isEmpty();
    assertThat(users().insert(ada()).version()).isEqualTo(1);
  }

  @Test
  default void softDeletedRecordsAreHiddenUnlessAskedFor() {
    users().insert(ada());
    users().insert(User.of("bob", "bob@example.com", "Bob", "UK", 30));
    users().softDelete("ada");
    assertThat(users().softDelete("ada").version()).isEqualTo(2);
    assertThat(users().findById("ada")).isEmpty();
    assertThat(users().exists("ada")).isFalse();
    assertThat(users().findByIds(List.of("ada", "bob"))).extracting(Versioned::id).containsExactly("bob");
    assertThat(users().query("by_country_age").eq("UK").page().items()).extracting(Versioned::id)
        .containsExactly("bob");
    assertThat(users().count("by_country_age", "UK")).isEqualTo(1);
    assertThat(users().scanAll().page().items()).extracting(Versioned::id).containsExactly("bob");
    assertThat(users().query("by_country_age").eq("UK").includeDeleted().page().items())
        .extracting(Versioned::id, Versioned::deleted)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", false),
            org.assertj.core.groups.Tuple.tuple("ada", true));
    assertThat(tito().read(tx -> users().findByIdIncludingDeleted(tx, "ada")).orElseThrow().deleted()).isTrue();
    assertThatThrownBy(() -> users().update(ada())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> users().insert(ada())).isInstanceOf(AlreadyExistsException.class);
    // a soft-deleted record keeps its unique values
    assertThatThrownBy(() -> users().insert(User.of("eve", "ada@example.com", "Eve", "UK", 1)))
        .isInstanceOf(AlreadyExistsException.class);
    users().restore("ada");
    assertThat(users().findById("ada").orElseThrow().version()).isEqualTo(3);
    assertThat(users().count("by_country_age", "UK")).isEqualTo(2);
    assertThat(IndexAudit.actual(tito(), users())).isEqualTo(IndexAudit.expected(tito(), users()));
  }

  @Test
  default void timestampsComeFromTheClock() {
    Instant t0 = clock().instant();
    Versioned<User> v = users().insert(ada());
    assertThat(v.createdAt()).isEqualTo(t0);
    assertThat(v.updatedAt()).isEqualTo(t0);
    clock().advance(Duration.ofMinutes(5));
    users().update(ada().withAge(1));
    Versioned<User> read = users().findById("ada").orElseThrow();
    assertThat(read.createdAt()).isEqualTo(t0);
    assertThat(read.updatedAt()).isEqualTo(t0.plus(Duration.ofMinutes(5)));
    assertThat(authors().insert(new DataModels.Author("x", "X")).createdAt()).isNull();
  }

  @Test
  default void findByIdsKeepsTheOrderOfTheIdsAndSkipsMissingOnes() {
    for (String id : List.of("c", "a", "b")) {
      users().insert(User.of(id, id + "@x", id, "UK", 1));
    }
    assertThat(users().findByIds(List.of("b", "zz", "a", "c", "a")))
        .extracting(Versioned::id).containsExactly("b", "a", "c", "a");
  }

  @Test
  default void operationsJoinTheCallersTransaction() {
    assertThatThrownBy(() -> tito().inTransaction(tx -> {
      users().insert(tx, ada());
      users().insert(tx, User.of("bob", "bob@x", "Bob", "UK", 2));
      assertThat(users().findById(tx, "bob")).isPresent();
      throw new IllegalStateException("abort");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(users().exists("ada")).isFalse();
    assertThat(IndexAudit.actual(tito(), users())).isEmpty();
  }

  @Test
  default void writeHooksSeeEveryChangeInTheWritingTransaction() {
    List<RecordChange> seen = new ArrayList<>();
    DataStore hooked = DataStore.models().model(models().users())
        .hook((tx, change) -> seen.add(change)).open(tito());
    hooked.store(models().users()).insert(ada());
    hooked.store(models().users()).patch("ada", Patch.set("/age", 2));
    hooked.store(models().users()).delete("ada");
    assertThat(seen).extracting(RecordChange::kind).containsExactly(
        RecordChange.Kind.INSERT, RecordChange.Kind.PATCH, RecordChange.Kind.DELETE);
    assertThat(seen.get(1).before().version()).isEqualTo(1);
    assertThat(seen.get(1).after().version()).isEqualTo(2);
    DataStore failing = DataStore.models().model(models().users())
        .hook((tx, change) -> {
          throw new IllegalStateException("hook failed");
        }).open(tito());
    assertThatThrownBy(() -> failing.store(models().users()).insert(ada()))
        .hasMessage("hook failed");
    assertThat(users().exists("ada")).isFalse();
  }

  @Test
  default void nullAndUnsupportedIdsAreRejected() {
    assertThatThrownBy(() -> users().insert(User.of(null, "x", "x", "x", 1)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users().findById(new Object()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users().insert(null)).isInstanceOf(InvalidArgumentException.class);
  }
}
