package io.tito.log;

import static io.tito.log.TestLogs.small;
import static io.tito.log.TestLogs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.tuple.Subspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLogConsumerTest {

  @TempDir
  Path dir;

  private static final Subspace EFFECTS = Subspace.of("effects");
  private static final byte[] CHECKPOINT = Subspace.of("checkpoints").pack("orders");

  private static List<String> effects(Tito tito) {
    return tito.read(tx -> {
      List<String> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(EFFECTS.range())) {
        while (c.hasNext()) {
          out.add(new String(c.next().value(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return out;
    });
  }

  @Test
  void effectsAndCheckpointCommitTogetherAndNothingIsAppliedTwice() {
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      for (String s : List.of("a", "b", "boom", "c", "d", "e")) {
        p.append(text(s));
      }
    }
    try (Tito tito = Tito.open("memory:")) {
      try (StoreLogConsumer c = StoreLogConsumer.open(dir, "orders", tito, CHECKPOINT)) {
        assertThatThrownBy(() -> c.processAvailable(10, (tx, r, attempt) -> {
          tx.set(EFFECTS.pack(r.offset()), r.payload());
          if (text(r).equals("boom")) {
            throw new IllegalStateException("crash while processing " + r.offset());
          }
          return Outcome.COMMIT;
        })).hasMessageContaining("crash while processing 2");
        assertThat(effects(tito)).containsExactly("a", "b"); // the failed attempt left nothing
        assertThat(c.checkpoint()).isEqualTo(2);
      }
      // a new consumer (after a crash, say) resumes from the store's checkpoint
      try (StoreLogConsumer c = StoreLogConsumer.open(dir, "orders", tito, CHECKPOINT)) {
        assertThat(c.checkpoint()).isEqualTo(2);
        long n = c.processAvailable(10, (tx, r, attempt) -> {
          tx.set(EFFECTS.pack(r.offset()), r.payload());
          if (text(r).equals("c") && attempt == 1) {
            return Outcome.RETRY; // its write is rolled back
          }
          return text(r).equals("e") ? Outcome.BREAK : Outcome.COMMIT;
        });
        assertThat(n).isEqualTo(3);
        assertThat(effects(tito)).containsExactly("a", "b", "boom", "c", "d");
        assertThat(c.checkpoint()).isEqualTo(5);
      }
      try (StoreLogConsumer c = StoreLogConsumer.open(dir, "orders", tito, CHECKPOINT)) {
        assertThat(c.checkpoint()).isEqualTo(5);
        try (LogConsumer other = LogConsumer.exactlyOnce(dir, "other")) {
          assertThat(other.poll().offset()).isZero();
        }
        assertThatThrownBy(() -> LogConsumer.exactlyOnce(dir, "orders"))
            .isInstanceOf(LogLockedException.class);
      }
    }
  }

  @Test
  void aBlockingStoreConsumerWaitsForRecords() throws Exception {
    try (Tito tito = Tito.open("memory:");
        LogProducer p = LogProducer.open(small(dir).build());
        StoreLogConsumer c = StoreLogConsumer.open(dir, "blocking", tito, CHECKPOINT)) {
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          c.process(3, (tx, r, attempt) -> {
            tx.set(EFFECTS.pack(r.offset()), r.payload());
            return Outcome.COMMIT;
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (String s : List.of("x", "y", "z")) {
        p.append(text(s));
      }
      t.join(Duration.ofSeconds(30));
      assertThat(t.isAlive()).isFalse();
      assertThat(effects(tito)).containsExactly("x", "y", "z");
    }
  }
}
