package io.tito.testkit;

import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Capability#COMMIT_SEQUENCED_APPENDS}: positions per counter are dense, gap-free and in
 * commit order; concurrent appenders never conflict; a snapshot sees a prefix of the positions
 * (and the counter matching it); a transaction that read-modify-writes the counter conflicts with
 * a concurrent append; a transaction that does not commit uses no position. An engine without
 * the capability must refuse the appends.
 */
public interface SequencedAppendsContract extends EngineFixture {

  /** The counter of these tests. */
  byte[] COUNTER = k("\u0002seq/counter");
  /** The prefix of the appended keys. */
  byte[] LOG = k("\u0002seq/log/");

  private void requireCapability() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.COMMIT_SEQUENCED_APPENDS),
        "engine '" + engine().name() + "' does not declare COMMIT_SEQUENCED_APPENDS");
  }

  private static byte[] logKey(byte[] prefix, long position) {
    return ByteArrays.concat(prefix, Tuple.of(position).pack());
  }

  private static byte[] counterValue(long next) {
    return Tuple.of(next).pack();
  }

  /** The appended entries as "position=value", in key order. */
  private static List<String> entries(EngineTransaction tx, byte[] prefix) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : scan(tx, prefix, ByteArrays.strinc(prefix), ScanOptions.FORWARD)) {
      long position = Tuple.unpack(kv.key(), prefix.length, kv.key().length - prefix.length).getLong(0);
      out.add(position + "=" + new String(kv.value(), StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  private static long counter(EngineTransaction tx, byte[] counter) {
    byte[] v = tx.get(counter);
    return v == null ? 0 : Tuple.unpack(v).getLong(0);
  }

  private long appendAndCommit(String value) {
    try (EngineTransaction tx = engine().begin(false)) {
      assertThat(tx.appendSequenced(COUNTER, LOG, v(value))).isZero();
      tx.commit();
      return tx.sequenceStart(COUNTER);
    }
  }

  @Test
  default void engineWithoutTheCapabilityRefusesSequencedAppends() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.COMMIT_SEQUENCED_APPENDS),
        "engine declares COMMIT_SEQUENCED_APPENDS");
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.appendSequenced(COUNTER, LOG, v("x")))
          .isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void positionsAreDenseAndInCommitOrder() {
    requireCapability();
    // The second transaction begins first: the commit, not the begin, orders the positions.
    try (EngineTransaction early = engine().begin(false); EngineTransaction late = engine().begin(false)) {
      pin(early);
      pin(late);
      assertThat(late.appendSequenced(COUNTER, LOG, v("a"))).isZero();
      assertThat(late.appendSequenced(COUNTER, LOG, v("b"))).isEqualTo(1);
      assertThat(early.appendSequenced(COUNTER, LOG, v("c"))).isZero();
      late.commit();
      early.commit();
      assertThat(late.sequenceStart(COUNTER)).isZero();
      assertThat(early.sequenceStart(COUNTER)).isEqualTo(2);
    }
    assertThat(appendAndCommit("d")).isEqualTo(3);
    read(engine(), tx -> {
      assertThat(entries(tx, LOG)).containsExactly("0=a", "1=b", "2=c", "3=d");
      assertThat(tx.get(COUNTER)).isEqualTo(counterValue(4));
      return null;
    });
  }

  @Test
  default void countersAreIndependentAndTheTransactionsOwnCounterWriteIsTheBase() {
    requireCapability();
    byte[] other = k("\u0002seq/other-counter");
    byte[] otherLog = k("\u0002seq/other-log/");
    try (EngineTransaction tx = engine().begin(false)) {
      tx.appendSequenced(COUNTER, LOG, v("a"));
      tx.set(other, counterValue(10));
      assertThat(tx.appendSequenced(other, otherLog, v("x"))).isZero();
      assertThat(tx.appendSequenced(COUNTER, LOG, v("b"))).isEqualTo(1);
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isZero();
      assertThat(tx.sequenceStart(other)).isEqualTo(10);
    }
    read(engine(), tx -> {
      assertThat(entries(tx, LOG)).containsExactly("0=a", "1=b");
      assertThat(entries(tx, otherLog)).containsExactly("10=x");
      assertThat(tx.get(other)).isEqualTo(counterValue(11));
      return null;
    });
  }

  /**
   * Four workers append to one counter, every transaction overlapping others; none may conflict.
   * Readers meanwhile check that each snapshot holds exactly positions {@code [0, counter)}.
   */
  @Test
  default void concurrentAppendersNeverConflictAndSnapshotsSeeAPrefix() throws Exception {
    requireCapability();
    int writers = 4;
    int perWriter = 40;
    Map<String, Long> assigned = new ConcurrentHashMap<>();
    AtomicInteger writersDone = new AtomicInteger();
    Workers.run(writers + 1, 16, (index, random, deadline) -> {
      if (index == writers) {
        // The reader: a snapshot's appended positions are 0..counter-1 with nothing missing.
        while (writersDone.get() < writers) {
          Workers.checkDeadline(deadline);
          read(engine(), tx -> {
            long n = counter(tx, COUNTER);
            List<String> seen = entries(tx, LOG);
            assertThat(seen).as("entries in a snapshot whose counter is %d", n).hasSize((int) n);
            for (int i = 0; i < seen.size(); i++) {
              assertThat(seen.get(i)).startsWith(i + "=");
            }
            return null;
          });
        }
        return;
      }
      try {
        for (int i = 0; i < perWriter; i++) {
          Workers.checkDeadline(deadline);
          String value = "w" + index + "-" + i;
          try (EngineTransaction tx = engine().begin(false)) {
            pin(tx);
            tx.appendSequenced(COUNTER, LOG, v(value));
            Workers.overlap();
            tx.commit(); // a ConflictException fails the test
            assigned.put(value, tx.sequenceStart(COUNTER));
          }
        }
      } finally {
        writersDone.incrementAndGet();
      }
    });
    int total = writers * perWriter;
    List<String> all = read(engine(), tx -> entries(tx, LOG));
    assertThat(all).hasSize(total);
    for (int i = 0; i < total; i++) {
      String entry = all.get(i);
      String value = entry.substring(entry.indexOf('=') + 1);
      assertThat(entry).as("position %d", i).startsWith(i + "=");
      assertThat(assigned.get(value)).as("sequenceStart of %s", value).isEqualTo(i);
    }
    long finalCounter = read(engine(), tx -> counter(tx, COUNTER));
    assertThat(finalCounter).isEqualTo(total);
    List<Long> positions = new ArrayList<>(assigned.values());
    Collections.sort(positions);
    assertThat(positions).doesNotHaveDuplicates().hasSize(total);
  }

  /** Two appenders whose snapshots overlap commit one after the other without conflict. */
  @Test
  default void overlappingAppendersDoNotConflict() {
    requireCapability();
    List<EngineTransaction> txs = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        EngineTransaction tx = engine().begin(false);
        txs.add(tx);
        pin(tx);
        tx.appendSequenced(COUNTER, LOG, v("w" + i));
      }
      for (EngineTransaction tx : txs) {
        tx.commit();
      }
    } finally {
      txs.forEach(EngineTransaction::close);
    }
    List<String> all = read(engine(), tx -> entries(tx, LOG));
    assertThat(all).containsExactly("0=w0", "1=w1", "2=w2", "3=w3");
  }

  /**
   * A transaction that reads the counter and writes the next position itself conflicts with an
   * append committed after its snapshot; an append after a classic writer's commit continues from
   * the classic writer's counter.
   */
  @Test
  default void aReadModifyWriteOfTheCounterConflictsWithAConcurrentAppend() {
    requireCapability();
    try (EngineTransaction classic = engine().begin(false)) {
      long n = counter(classic, COUNTER);
      classic.set(logKey(LOG, n), v("classic"));
      classic.set(COUNTER, counterValue(n + 1));
      assertThat(appendAndCommit("appended")).isZero();
      assertThatThrownBy(classic::commit).isInstanceOf(ConflictException.class);
    }
    try (EngineTransaction appender = engine().begin(false)) {
      pin(appender);
      appender.appendSequenced(COUNTER, LOG, v("after-classic"));
      try (EngineTransaction classic = engine().begin(false)) {
        long n = counter(classic, COUNTER);
        classic.set(logKey(LOG, n), v("classic"));
        classic.set(COUNTER, counterValue(n + 1));
        classic.commit();
      }
      appender.commit();
      assertThat(appender.sequenceStart(COUNTER)).isEqualTo(2);
    }
    read(engine(), tx -> {
      assertThat(entries(tx, LOG)).containsExactly("0=appended", "1=classic", "2=after-classic");
      assertThat(tx.get(COUNTER)).isEqualTo(counterValue(3));
      return null;
    });
  }

  /** Rolled back, undone by a savepoint or failed by a conflict: no position is used. */
  @Test
  default void aTransactionThatDoesNotCommitUsesNoPosition() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.appendSequenced(COUNTER, LOG, v("rolled-back"));
      tx.rollback();
    }
    try (EngineTransaction tx = engine().begin(false)) {
      Object sp = tx.savepoint();
      tx.appendSequenced(COUNTER, LOG, v("undone"));
      tx.rollbackToSavepoint(sp);
      assertThat(tx.appendSequenced(COUNTER, LOG, v("kept"))).as("offset after the undone append").isZero();
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isZero();
    }
    byte[] contested = k("\u0002seq/contested");
    try (EngineTransaction loser = engine().begin(false)) {
      pin(loser);
      loser.appendSequenced(COUNTER, LOG, v("lost"));
      loser.set(contested, v("loser"));
      Kit.commit(engine(), winner -> winner.set(contested, v("winner")));
      assertThatThrownBy(loser::commit).isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> loser.sequenceStart(COUNTER)).isInstanceOf(InvalidArgumentException.class);
    }
    assertThat(appendAndCommit("next")).isEqualTo(1);
    read(engine(), tx -> {
      assertThat(entries(tx, LOG)).containsExactly("0=kept", "1=next");
      return null;
    });
  }

  @Test
  default void appendsAreInvisibleToTheirOwnTransactionAndKnownAfterCommit() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.appendSequenced(COUNTER, LOG, v("mine"));
      assertThat(entries(tx, LOG)).as("own append before commit").isEmpty();
      assertThat(tx.get(COUNTER)).as("counter before commit").isNull();
      assertThatThrownBy(() -> tx.sequenceStart(COUNTER)).isInstanceOf(InvalidArgumentException.class);
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isZero();
      assertThatThrownBy(() -> tx.sequenceStart(k("\u0002seq/never"))).isInstanceOf(InvalidArgumentException.class);
    }
    try (EngineTransaction ro = engine().begin(true)) {
      assertThatThrownBy(() -> ro.appendSequenced(COUNTER, LOG, v("x"))).isInstanceOf(InvalidArgumentException.class);
    }
  }
}
