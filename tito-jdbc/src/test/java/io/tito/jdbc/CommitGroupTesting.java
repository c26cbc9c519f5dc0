package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Builds {@link CommitGroup} batches of a known size and order for tests. */
final class CommitGroupTesting {

  private CommitGroupTesting() {}

  /**
   * Commits {@code txs} as one batch of {@code group}, in this order: the first leads and waits
   * (a test hook) until the others have queued, one at a time. Each result is null or that
   * commit's failure; the transactions are closed.
   */
  static List<RuntimeException> commitAsOneGroup(CommitGroup group, List<EngineTransaction> txs)
      throws Exception {
    long groupsBefore = group.groupsForTest()[0];
    group.holdNextBatchForTest(txs.size());
    // The last one completes the group, which the leader then takes from the queue.
    List<CompletableFuture<RuntimeException>> outcomes = startInOrder(group, txs, txs.size() - 1);
    List<RuntimeException> out = new ArrayList<>();
    for (CompletableFuture<RuntimeException> f : outcomes) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    txs.forEach(EngineTransaction::close);
    assertThat(group.groupsForTest()[0]).as("sent as one group").isEqualTo(groupsBefore + 1);
    return out;
  }

  /**
   * Starts the commits of {@code txs} in this order, each on a thread of its own, and waits until
   * each of the first {@code waitFor} has queued in {@code group} (its leader held by {@link
   * CommitGroup#holdNextBatchForTest}) before starting the next. Each future yields null or that
   * commit's failure.
   */
  static List<CompletableFuture<RuntimeException>> startInOrder(CommitGroup group,
      List<EngineTransaction> txs, int waitFor) {
    List<CompletableFuture<RuntimeException>> outcomes = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      EngineTransaction tx = txs.get(i);
      outcomes.add(CompletableFuture.supplyAsync(() -> {
        try {
          tx.commit();
          return null;
        } catch (RuntimeException e) {
          return e;
        }
      }, runnable -> new Thread(runnable).start()));
      int queued = i + 1;
      while (queued <= waitFor && group.queuedForTest() < queued) {
        assertThat(outcomes.get(i)).as("commit %d ended before it queued", i).isNotDone();
        Thread.onSpinWait();
      }
    }
    return outcomes;
  }
}
