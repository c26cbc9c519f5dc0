package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.data.Versioned;
import io.tito.testkit.data.DataModels.Status;
import io.tito.testkit.data.DataModels.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every index kind, typed ordering, nulls, uniqueness (also under concurrency), counts. */
public interface IndexContract extends DataFixture {

  private static User user(String id, String email) {
    return User.of(id, email, id, "NO", 20);
  }

  @Test
  default void uniqueIndexRejectsASecondRecordWithTheSameValue() {
    users().insert(user("a", "same@x"));
    assertThatThrownBy(() -> users().insert(user("b", "same@x")))
        .isInstanceOf(AlreadyExistsException.class)
        .satisfies(e -> assertThat(((AlreadyExistsException) e).context())
            .containsEntry("index", "by_email").containsEntry("heldBy", "a"));
    assertThat(users().exists("b")).isFalse();
    users().update(user("a", "other@x"));
    users().insert(user("b", "same@x"));
    assertThatThrownBy(() -> users().update(user("a", "same@x")))
        .isInstanceOf(AlreadyExistsException.class);
    // the same record may keep its own value
    users().update(user("b", "same@x").withAge(99));
  }

  @Test
  default void uniqueIndexDoesNotConstrainNulls() {
    users().insert(user("a", null));
    users().insert(user("b", null));
    assertThat(users().query("by_email").eq((Object) null).page().items()).hasSize(2);
  }

  @Test
  default void uniqueIndexHoldsWhenTwoWritersRaceAndTheFirstCommitterWins() throws Exception {
    CountDownLatch firstWrote = new CountDownLatch(1);
    CountDownLatch secondCommitted = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      Future<Object> first = pool.submit(() -> {
        try {
          return tito().transaction(tx -> {
            int attempt = attempts.incrementAndGet();
            tx.get(new byte[] {1});
            users().insert(tx, user("first", "race@x"));
            if (attempt == 1) {
              firstWrote.countDown();
              await(secondCommitted);
            }
            return "committed";
          });
        } catch (AlreadyExistsException e) {
          return e;
        }
      });
      await(firstWrote);
      users().insert(user("second", "race@x"));
      secondCommitted.countDown();
      assertThat(first.get(60, TimeUnit.SECONDS)).isInstanceOf(AlreadyExistsException.class);
      assertThat(attempts.get()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
    assertThat(users().query("by_email").eq("race@x").page().items())
        .extracting(Versioned::id).containsExactly("second");
    assertThat(users().exists("first")).isFalse();
  }

  @Test
  default void manyConcurrentInsertsOfOneUniqueValueLetExactlyOneWin() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<Boolean>> results = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int i = 0; i < writers; i++) {
        String id = "w" + i;
        Callable<Boolean> task = () -> {
          await(start);
          try {
            users().insert(user(id, "contended@x"));
            return true;
          } catch (AlreadyExistsException e) {
            return false;
          }
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      int wins = 0;
      for (Future<Boolean> f : results) {
        wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(users().scanAll().page().items()).hasSize(1);
    assertThat(IndexAudit.actual(tito(), users())).isEqualTo(IndexAudit.expected(tito(), users()));
  }

  @Test
  default void numbersSortAsNumbersAndStringsKeepEveryCharacter() {
    long[] scores = {-20_000_000_000L, -5, 0, 3, 12, 100, 9_000_000_000L, Long.MAX_VALUE};
    for (int i = scores.length - 1; i >= 0; i--) {
      users().insert(user("s" + i, "s" + i + "@x").withScore(scores[i]));
    }
    assertThat(users().query("active_by_score").limit(100).page().values())
        .extracting(User::score).containsExactly(-20_000_000_000L, -5L, 0L, 3L, 12L, 100L,
            9_000_000_000L, Long.MAX_VALUE);
    double[] ratings = {2.5, -0.5, 10.0, -100.25, 0.0};
    for (int i = 0; i < ratings.length; i++) {
      users().update(user("s" + i, "s" + i + "@x").withScore(scores[i]).withRating(ratings[i]));
    }
    assertThat(users().query("by_rating").lt(100.0).page().values()).extracting(User::rating)
        .containsExactly(-100.25, -0.5, 0.0, 0.0, 0.0, 0.0, 2.5, 10.0);
    users().insert(user("n1", "n1@x").withName("Zoë"));
    users().insert(user("n2", "n2@x").withName("zoe"));
    users().insert(user("n3", "n3@x").withName("ZOE"));
    users().insert(user("n4", "n4@x").withName("Zoe\u0000x"));
    assertThat(users().query("by_name").startsWith("Zo").page().values()).extracting(User::name)
        .containsExactly("Zoe\u0000x", "Zoë");
    assertThat(users().query("by_name").eq("zoe").page().values()).extracting(User::id)
        .containsExactly("n2");
  }

  @Test
  default void nullsSortFirst() {
    users().insert(user("a", "a@x").withAge(5));
    users().insert(user("b", "b@x").withAge(null));
    users().insert(user("c", "c@x").withAge(-5));
    assertThat(users().query("by_country_age").eq("NO").page().values()).extracting(User::id)
        .containsExactly("b", "c", "a");
    assertThat(users().query("by_country_age").eq("NO", null).page().values())
        .extracting(User::id).containsExactly("b");
  }

  @Test
  default void compositeIndexOrdersByFieldsThenId() {
    users().insert(User.of("3", "3@x", "c", "SE", 30));
    users().insert(User.of("1", "1@x", "a", "NO", 40));
    users().insert(User.of("2", "2@x", "b", "NO", 30));
    users().insert(User.of("4", "4@x", "d", "NO", 30));
    assertThat(users().query("by_country_age").page().values()).extracting(User::id)
        .containsExactly("2", "4", "1", "3");
    assertThat(users().query("by_country_age").eq("NO", 30).page().values()).extracting(User::id)
        .containsExactly("2", "4");
    assertThat(users().count("by_country_age", "NO")).isEqualTo(3);
    assertThat(users().count("by_country_age", "NO", 30)).isEqualTo(2);
    assertThat(users().count("by_country_age")).isEqualTo(4);
  }

  @Test
  default void conditionalIndexHoldsOnlyRecordsPassingThePredicate() {
    users().insert(user("a", "a@x").withScore(1L));
    users().insert(user("b", "b@x").withScore(2L).withActive(false));
    assertThat(users().query("active_by_score").page().values()).extracting(User::id)
        .containsExactly("a");
    users().update(user("a", "a@x").withScore(1L).withActive(false));
    users().update(user("b", "b@x").withScore(2L));
    assertThat(users().query("active_by_score").page().values()).extracting(User::id)
        .containsExactly("b");
  }

  @Test
  default void multiValuedIndexHasOneEntryPerValue() {
    users().insert(user("a", "a@x").withTags(List.of("java", "db", "java")));
    users().insert(user("b", "b@x").withTags(List.of("db")));
    assertThat(users().query("by_tag").eq("db").page().values()).extracting(User::id)
        .containsExactly("a", "b");
    assertThat(users().count("by_tag", "java")).isEqualTo(1);
    users().update(user("a", "a@x").withTags(List.of("rust")));
    assertThat(users().count("by_tag", "db")).isEqualTo(1);
    assertThat(users().count("by_tag", "java")).isZero();
    assertThat(users().query("by_tag").page().values()).extracting(User::id)
        .containsExactly("b", "a");
  }

  @Test
  default void enumsAreIndexedByName() {
    users().insert(user("a", "a@x").withStatus(Status.BANNED));
    users().insert(user("b", "b@x"));
    assertThat(users().query("by_status").eq(Status.BANNED).page().values()).extracting(User::id)
        .containsExactly("a");
    assertThat(users().count("by_status", "ACTIVE")).isEqualTo(1);
  }

  @Test
  default void coveringIndexServesRecordsWithTheirVersions() {
    users().insert(user("a", "a@x").withRating(1.5));
    users().update(user("a", "a@x").withRating(1.5).withAge(77));
    Versioned<User> v = users().query("by_rating").eq(1.5).page().items().get(0);
    assertThat(v.version()).isEqualTo(2);
    assertThat(v.value().age()).isEqualTo(77);
  }

  @Test
  default void unknownIndexesAndTooManyFieldsFailClearly() {
    assertThatThrownBy(() -> users().query("nope").page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown index");
    assertThatThrownBy(() -> users().query("by_email").eq("a", "b").page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("more fields");
    assertThatThrownBy(() -> users().count("nope")).isInstanceOf(InvalidArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
