package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import org.junit.jupiter.api.Test;

/** The events kept for hand-overs stay within one budget per engine, and go with their followers. */
class HandOffBudgetTest {

  @Test
  void keptEventsStayWithinTheEnginesBudgetAndGoWhenNoRunnerFollows() {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Signals signals = Signals.of(tito.engine());
      int size = HandOffs.MAX_BYTES - 1024;
      int partitions = (int) (Signals.MAX_KEPT_BYTES / size) + 20;
      for (int p = 0; p < partitions; p++) {
        signals.follow("t", p);
        int partition = p;
        tito.inTransaction(tx -> {
          tx.set(new byte[] {1, (byte) partition}, new byte[] {1});
          signals.handOffOnCommit(tx, "t", partition, () -> 0L, new byte[size]);
        });
      }
      assertThat(signals.keptBytes()).isLessThanOrEqualTo(Signals.MAX_KEPT_BYTES)
          .isGreaterThan(Signals.MAX_KEPT_BYTES - size);
      Signals.Mark mark = signals.mark("t", partitions - 1);
      Signals.Taken last = signals.takeHandOffs("t", partitions - 1, 0, mark.others(), 64);
      assertThat(last.events()).as("over the budget: not kept").isEmpty();
      Signals.Taken first = signals.takeHandOffs("t", 0, 0, signals.mark("t", 0).others(), 64);
      assertThat(first.events()).hasSize(1);
      for (int p = 0; p < partitions; p++) {
        signals.unfollow("t", p);
      }
      assertThat(signals.keptBytes()).isZero();
    }
  }
}
