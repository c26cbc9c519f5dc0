package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The events a partition's local commits published lately, as runners take them over. */
class HandOffsTest {

  private static byte[] event(int n) {
    return new byte[] {(byte) n};
  }

  private static List<byte[]> from(HandOffs h, long from, int max, boolean[] more) {
    return h.from(from, max, more, new long[1]);
  }

  @Test
  void anUnbrokenRunIsTakenInPositionOrderWhateverTheOrderKept() {
    HandOffs h = new HandOffs();
    h.add(11, event(11));
    h.add(10, event(10));
    h.add(13, event(13));
    boolean[] more = new boolean[1];
    assertThat(from(h, 10, 1, more)).extracting(b -> (int) b[0]).containsExactly(10);
    assertThat(more[0]).as("11 and 13 not taken").isTrue();
    assertThat(from(h, 10, 64, more)).extracting(b -> (int) b[0]).containsExactly(10, 11);
    assertThat(more[0]).as("13 is kept past the gap at 12").isTrue();
    assertThat(from(h, 13, 64, more)).extracting(b -> (int) b[0]).containsExactly(13);
    assertThat(more[0]).isFalse();
  }

  @Test
  void droppedPositionsAreKnownSoNoRunnerWaitsForThem() {
    HandOffs h = new HandOffs();
    for (int i = 0; i < HandOffs.MAX_EVENTS + 6; i++) {
      h.add(i, event(i));
    }
    assertThat(h.neverDropped(5)).isFalse();
    assertThat(h.neverDropped(6)).isTrue();
    assertThat(from(h, 6, 200, new boolean[1])).hasSize(HandOffs.MAX_EVENTS);
    // An event too large to keep counts as dropped.
    h.add(200, new byte[HandOffs.MAX_BYTES + 1]);
    assertThat(h.neverDropped(200)).isFalse();
    assertThat(h.neverDropped(201)).isTrue();
  }

  @Test
  void eventsBeforeTheAskedPositionGoAndCountAsDropped() {
    HandOffs h = new HandOffs();
    for (int i = 0; i < 10; i++) {
      h.add(i, event(i));
    }
    long[] freed = new long[1];
    assertThat(h.from(8, 64, new boolean[1], freed)).hasSize(2);
    assertThat(freed[0]).as("bytes freed: events 0-7").isEqualTo(-8);
    assertThat(h.bytes()).isEqualTo(2);
    // A runner of another group still at 3 fetches rather than waits for a hand-off.
    assertThat(from(h, 3, 64, new boolean[1])).isEmpty();
    assertThat(h.neverDropped(3)).isFalse();
  }

  @Test
  void keptBytesAreBounded() {
    HandOffs h = new HandOffs();
    int size = HandOffs.MAX_BYTES / 4;
    long added = 0;
    for (int i = 0; i < 8; i++) {
      added += h.add(i, new byte[size]);
    }
    assertThat(h.bytes()).isEqualTo(added).isLessThanOrEqualTo(HandOffs.MAX_BYTES);
    assertThat(from(h, 4, 64, new boolean[1])).hasSize(4);
    assertThat(h.neverDropped(3)).isFalse();
  }
}
