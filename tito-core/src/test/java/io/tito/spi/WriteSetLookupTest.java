package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ByteArrays;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Lookups in a write set answer as a plain model of per-key states (unknown, absent, value) does,
 * through random sets, point clears, range clears and nested savepoints rolled back or released,
 * over a small key space (so point clears, replaced clears and ranges meet often).
 */
class WriteSetLookupTest {

  private static final byte[] ABSENT = new byte[0];

  private static byte[] key(int i) {
    return new byte[] {(byte) i};
  }

  @Test
  void lookupsMatchAModelThroughSavepointsAndRangeClears() {
    Random random = new Random(12);
    for (int run = 0; run < 300; run++) {
      WriteSet w = new WriteSet();
      TreeMap<Integer, byte[]> model = new TreeMap<>();
      Deque<WriteSet.Savepoint> savepoints = new ArrayDeque<>();
      Deque<TreeMap<Integer, byte[]>> models = new ArrayDeque<>();
      for (int step = 0; step < 40; step++) {
        int op = random.nextInt(10);
        int k = random.nextInt(8);
        if (op < 4) {
          byte[] v = {(byte) random.nextInt(100), 1};
          w.put(key(k), v);
          model.put(k, v);
        } else if (op < 6) {
          w.put(key(k), null);
          model.put(k, ABSENT);
        } else if (op == 6) {
          int end = k + random.nextInt(4);
          w.clearRange(key(k), key(end));
          for (int i = k; i < end; i++) {
            model.put(i, ABSENT);
          }
        } else if (op == 7) {
          savepoints.push(w.savepoint());
          models.push(new TreeMap<>(model));
        } else if (op == 8 && !savepoints.isEmpty()) {
          w.rollbackTo(savepoints.pop());
          model = models.pop();
        } else if (op == 9 && !savepoints.isEmpty()) {
          w.release(savepoints.pop());
          models.pop();
        }
        for (int i = 0; i < 9; i++) {
          WriteSet.Lookup got = w.lookup(key(i));
          byte[] want = model.get(i);
          String where = "run " + run + " step " + step + " key " + i;
          if (want == null) {
            assertThat(got.known()).as(where).isFalse();
          } else if (want == ABSENT) {
            assertThat(got.absent()).as(where).isTrue();
          } else {
            assertThat(got.known() && !got.absent()).as(where).isTrue();
            assertThat(ByteArrays.compare(got.value(), want)).as(where).isZero();
          }
        }
      }
    }
  }
}
