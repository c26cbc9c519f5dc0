package io.tito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RangeRead}'s checks and {@link Transaction#scanAll} through the front door. */
class RangeReadTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReadNeedsALimitWithinBounds() {
    KeyRange r = new KeyRange(b("a"), b("b"));
    assertThatThrownBy(() -> new RangeRead(r, ScanOptions.FORWARD))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> RangeRead.forward(r, RangeRead.MAX_LIMIT + 1))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> RangeRead.forward(r, -1))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new RangeRead(null, ScanOptions.FORWARD.withLimit(1)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> RangeRead.point(null)).isInstanceOf(InvalidArgumentException.class);
    assertThat(RangeRead.forward(r, RangeRead.MAX_LIMIT).options().limit())
        .isEqualTo(RangeRead.MAX_LIMIT);
  }

  @Test
  void scanAllRefusesTooManyOrNullReadsAndAnswersEachRead() {
    try (Tito tito = Tito.builder().engine(new MemoryEngine()).build()) {
      tito.inTransaction(tx -> {
        for (char c = 'a'; c <= 'f'; c++) {
          tx.set(b("k" + c), b("v" + c));
        }
      });
      List<RangeRead> tooMany = new ArrayList<>(
          Collections.nCopies(RangeRead.MAX_READS + 1, RangeRead.point(b("ka"))));
      List<RangeRead> withNull = new ArrayList<>();
      withNull.add(null);
      tito.read(tx -> {
        assertThatThrownBy(() -> tx.scanAll(tooMany))
            .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("too many");
        assertThatThrownBy(() -> tx.scanAll(withNull))
            .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> tx.scanAll(null)).isInstanceOf(InvalidArgumentException.class);
        List<List<KeyValue>> got = tx.scanAll(List.of(RangeRead.point(b("kc")),
            new RangeRead(new KeyRange(b("ka"), b("kz")), new ScanOptions(true, 2)),
            RangeRead.point(b("kz"))));
        assertThat(got.get(0)).extracting(KeyValue::value).containsExactly(b("vc"));
        assertThat(got.get(1)).extracting(KeyValue::key).containsExactly(b("kf"), b("ke"));
        assertThat(got.get(2)).isEmpty();
        return null;
      });
    }
  }
}
