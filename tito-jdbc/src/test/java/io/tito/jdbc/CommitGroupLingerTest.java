package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.spi.WriteSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A lingering {@link CommitGroup}: a leader waits for its batch to be as large as the last one,
 * at most the linger; a lone committer never waits. No database: the runner only records batches.
 */
class CommitGroupLingerTest {

  private static final long LONG_LINGER = TimeUnit.MINUTES.toNanos(10);

  private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
  /** Each member's name (members write nothing). */
  private final Map<CommitGroup.Member, String> names =
      Collections.synchronizedMap(new IdentityHashMap<>());

  @Test
  void aLeaderWaitsForAsManyCommitsAsTheLastBatchHad() throws Exception {
    CommitGroup group = new CommitGroup("test", 1, LONG_LINGER);
    batchOfTwo(group, "a", "b");

    CompletableFuture<Void> c = commitAsync(group, "c");
    await(() -> group.lingeringForTest() == 1, "c lingers for a second commit", group);
    assertThat(batches).as("nothing sent while c lingers").hasSize(1);
    CompletableFuture<Void> d = commitAsync(group, "d");
    c.get(30, TimeUnit.SECONDS);
    d.get(30, TimeUnit.SECONDS);

    assertThat(batches).containsExactly(List.of("a", "b"), List.of("c", "d"));
  }

  @Test
  void aGroupThatDoesNotLingerSendsWhatQueued() throws Exception {
    CommitGroup group = new CommitGroup("test", 1, 0);
    batchOfTwo(group, "a", "b");

    commitAsync(group, "c").get(30, TimeUnit.SECONDS);

    assertThat(group.lingeringForTest()).isZero();
    assertThat(batches).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void aLoneCommitterNeverWaits() throws Exception {
    CommitGroup group = new CommitGroup("test", 1, LONG_LINGER);
    // Each commit's batch holds one, so the next expects one: none lingers (a wait would last
    // ten minutes and fail the get).
    for (String id : List.of("a", "b", "c")) {
      commitAsync(group, id).get(30, TimeUnit.SECONDS);
    }
    assertThat(batches).containsExactly(List.of("a"), List.of("b"), List.of("c"));
  }

  @Test
  void aLingerThatRunsOutSendsWhatQueuedAndTheNextExpectsThat() throws Exception {
    CommitGroup group = new CommitGroup("test", 1, TimeUnit.MILLISECONDS.toNanos(1));
    batchOfTwo(group, "a", "b");

    commitAsync(group, "c").get(30, TimeUnit.SECONDS); // waits 1 ms for a second commit, sends alone
    assertThat(batches).containsExactly(List.of("a", "b"), List.of("c"));

    // The last batch held one: the next leader expects one and never lingers.
    commitAsync(group, "d").get(30, TimeUnit.SECONDS);
    assertThat(batches).containsExactly(List.of("a", "b"), List.of("c"), List.of("d"));
  }

  @Test
  void aNegativeLingerIsRefused() {
    assertThatThrownBy(() -> new CommitGroup("test", 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lingerNanos");
  }

  /** A batch of {@code first} and {@code second}, held until both queued (the test hook). */
  private void batchOfTwo(CommitGroup group, String first, String second) throws Exception {
    group.holdNextBatchForTest(2);
    CompletableFuture<Void> a = commitAsync(group, first);
    await(() -> group.queuedForTest() == 1, first + " held as the leader", group);
    CompletableFuture<Void> b = commitAsync(group, second);
    a.get(30, TimeUnit.SECONDS);
    b.get(30, TimeUnit.SECONDS);
    assertThat(batches).last().isEqualTo(List.of(first, second));
  }

  private CompletableFuture<Void> commitAsync(CommitGroup group, String id) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        CommitGroup.Member me = new CommitGroup.Member(null, -1, System.nanoTime(), new WriteSet());
        names.put(me, id);
        group.commit(me, batch -> {
          List<String> ids = new ArrayList<>();
          for (CommitGroup.Member m : batch) {
            ids.add(names.get(m));
            m.committed = true;
          }
          batches.add(ids);
        });
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }, "commit-" + id);
    t.setDaemon(true);
    t.start();
    return done;
  }

  private static void await(BooleanSupplier condition, String what, CommitGroup group) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached: " + what + " (queued " + group.queuedForTest()
            + ", lingering " + group.lingeringForTest() + ")");
      }
      Thread.onSpinWait();
    }
  }
}
