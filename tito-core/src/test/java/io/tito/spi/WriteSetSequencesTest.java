package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ByteArrays;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequenced appends in a write set: offsets, savepoints, materialisation and its replacement. */
class WriteSetSequencesTest {

  private static final byte[] A = {1};
  private static final byte[] B = {2};
  private static final byte[] LOG_A = {1, 9};
  private static final byte[] LOG_B = {2, 9};

  private static byte[] at(byte[] prefix, long position) {
    return ByteArrays.concat(prefix, Tuple.of(position).pack());
  }

  private static List<byte[]> values(long... next) {
    List<byte[]> out = new ArrayList<>();
    for (long n : next) {
      out.add(n < 0 ? null : Tuple.of(n).pack());
    }
    return out;
  }

  @Test
  void offsetsCountPerCounterAndASavepointRollbackGivesThemBack() {
    WriteSet w = new WriteSet();
    assertThat(w.putSequenced(A, LOG_A, new byte[] {10})).isZero();
    assertThat(w.putSequenced(B, LOG_B, new byte[] {20})).isZero();
    WriteSet.Savepoint sp = w.savepoint();
    assertThat(w.putSequenced(A, LOG_A, new byte[] {11})).isEqualTo(1);
    w.rollbackTo(sp);
    assertThat(w.putSequenced(A, LOG_A, new byte[] {12})).isEqualTo(1);
    assertThat(w.sequenceCounters()).containsExactly(A, B);
    assertThat(w.points()).as("nothing visible before materialisation").isEmpty();
    assertThat(w.isEmpty()).isFalse();
  }

  @Test
  void materialisingWritesPositionsFromTheLatestValuesAndAgainReplacesThem() {
    WriteSet w = new WriteSet();
    w.putSequenced(A, LOG_A, new byte[] {10});
    w.putSequenced(B, LOG_B, new byte[] {20});
    w.putSequenced(A, LOG_A, new byte[] {11});
    w.materialiseSequences(keys -> values(5, -1));
    assertThat(w.sequenceStart(A)).isEqualTo(5);
    assertThat(w.sequenceStart(B)).isZero();
    assertThat(w.points().keySet()).containsExactlyInAnyOrder(A, B, at(LOG_A, 5), at(LOG_A, 6), at(LOG_B, 0));
    assertThat(w.points().get(A)).isEqualTo(Tuple.of(7L).pack());
    assertThat(w.points().get(at(LOG_A, 6))).containsExactly(11);
    w.materialiseSequences(keys -> values(8, 3));
    assertThat(w.points().keySet()).containsExactlyInAnyOrder(A, B, at(LOG_A, 8), at(LOG_A, 9), at(LOG_B, 3));
    assertThat(w.points().get(B)).isEqualTo(Tuple.of(4L).pack());
  }

  @Test
  void theSetsOwnCounterWriteIsTheBaseAndIsRestoredWhenReplaced() {
    WriteSet w = new WriteSet();
    w.put(A, Tuple.of(40L).pack());
    w.putSequenced(A, LOG_A, new byte[] {1});
    w.materialiseSequences(keys -> values(5));
    assertThat(w.sequenceStart(A)).isEqualTo(40);
    assertThat(w.points().get(A)).isEqualTo(Tuple.of(41L).pack());
    w.materialiseSequences(keys -> values(5));
    assertThat(w.sequenceStart(A)).as("the own write again, not the first materialisation's").isEqualTo(40);
    assertThat(w.points().keySet()).containsExactlyInAnyOrder(A, at(LOG_A, 40));
  }
}
