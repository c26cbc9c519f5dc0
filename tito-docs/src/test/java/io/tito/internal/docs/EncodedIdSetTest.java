package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EncodedIdSetTest {

  @Test
  void countsEachDistinctByteStringOnceAcrossGrowth() {
    EncodedIdSet set = new EncodedIdSet();
    Set<String> expected = new HashSet<>();
    Random rnd = new Random(7);
    byte[] buf = new byte[64];
    for (int i = 0; i < 50_000; i++) {
      String id = i % 3 == 0 ? "doc-" + rnd.nextInt(20_000) : "doc-" + i;
      byte[] b = id.getBytes(StandardCharsets.UTF_8);
      int off = rnd.nextInt(8);
      System.arraycopy(b, 0, buf, off, b.length);
      buf[off + b.length] = (byte) rnd.nextInt(); // bytes past the slice are not part of it
      assertThat(set.add(buf, off, b.length)).as(id).isEqualTo(expected.add(id));
    }
    assertThat(set.size()).isEqualTo(expected.size());
  }

  @Test
  void tellsApartSlicesWithTheSameHashAndPrefixes() {
    EncodedIdSet set = new EncodedIdSet();
    byte[] ab = {'A', 'a'};
    byte[] bb = {'B', 'B'}; // "Aa" and "BB" have the same polynomial hash
    assertThat(EncodedIdSet.hash(ab, 0, 2)).isEqualTo(EncodedIdSet.hash(bb, 0, 2));
    assertThat(set.add(ab, 0, 2)).isTrue();
    assertThat(set.add(bb, 0, 2)).isTrue();
    assertThat(set.add(ab, 0, 1)).isTrue();
    assertThat(set.add(new byte[0], 0, 0)).isTrue();
    assertThat(set.add(new byte[] {'x', 'A', 'a'}, 1, 2)).isFalse();
    assertThat(set.add(new byte[0], 0, 0)).isFalse();
    assertThat(set.size()).isEqualTo(4);
  }
}
