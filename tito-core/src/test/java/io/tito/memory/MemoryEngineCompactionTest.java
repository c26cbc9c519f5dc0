package io.tito.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MemoryEngineCompactionTest {

  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  private static void commit(MemoryEngine engine, int i, byte[] value) {
    try (EngineTransaction tx = engine.begin(false)) {
      if (value == null) {
        tx.clear(key(i));
      } else {
        tx.set(key(i), value);
      }
      tx.commit();
    }
  }

  @Test
  void oldVersionsStayReadableForOpenSnapshotsAndDeletedKeysAreDroppedAfterwards() {
    try (MemoryEngine engine = new MemoryEngine()) {
      for (int i = 0; i < 100; i++) {
        commit(engine, i, new byte[] {1});
      }
      EngineTransaction old = engine.begin(true);
      assertThat(old.get(key(5))).containsExactly(1);
      // Enough commits to run compaction several times while the old snapshot is open.
      for (int round = 0; round < 5 * 4096; round++) {
        int i = round % 100;
        commit(engine, i, i % 2 == 0 ? null : new byte[] {2});
      }
      for (int i = 0; i < 100; i++) {
        assertThat(old.get(key(i))).as("key %d at the old snapshot", i).containsExactly(1);
      }
      assertThat(engine.keyCount()).isEqualTo(100);
      old.close();
      for (int round = 0; round < 2 * 4096; round++) {
        commit(engine, 1000 + round % 10, new byte[] {3});
      }
      // The deleted even keys are gone once no snapshot can read them; odd keys keep one version.
      assertThat(engine.keyCount()).isEqualTo(50 + 10);
      try (EngineTransaction now = engine.begin(true)) {
        assertThat(now.get(key(4))).isNull();
        assertThat(now.get(key(5))).containsExactly(2);
      }
    }
  }
}
