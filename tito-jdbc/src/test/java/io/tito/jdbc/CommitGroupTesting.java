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
      // The last one completes the group, which the leader then takes from the queue.
      while (queued < txs.size() && group.queuedForTest() < queued) {
        assertThat(outcomes.get(i)).as("commit %d ended before it queued", i).isNotDone();
        Thread.onSpinWait();
      }
    }
    List<RuntimeException> out = new ArrayList<>();
    for (CompletableFuture<RuntimeException> f : outcomes) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    txs.forEach(EngineTransaction::close);
    assertThat(group.groupsForTest()[0]).as("sent as one group").isEqualTo(groupsBefore + 1);
    return out;
  }
}
