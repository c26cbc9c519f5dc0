package io.tito.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.Stamp;
import io.tito.internal.events.Positions;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Packed $all positions keep stamp order, and packed + 1 is the next stamp. */
class PositionsTest {

  @Property
  void packingKeepsOrderAndNext(@ForAll @LongRange(max = Positions.MAX_VERSION) long v1,
      @ForAll @IntRange(max = Stamp.MAX_ORDER) int o1, @ForAll @LongRange(max = Positions.MAX_VERSION - 1) long v2,
      @ForAll @IntRange(max = Stamp.MAX_ORDER) int o2) {
    Stamp a = new Stamp(v1, o1);
    Stamp b = new Stamp(v2, o2);
    assertThat(Long.compare(Positions.pack(a), Positions.pack(b))).isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(Positions.unpack(Positions.pack(a))).isEqualTo(a);
    assertThat(Positions.unpack(Positions.pack(b) + 1)).isEqualTo(b.next());
    assertThat(Positions.consumedBefore(Positions.pack(b) + 1)).isEqualTo(b);
  }

  @Test
  void versionsAboveTheLimitAreRefused() {
    assertThatThrownBy(() -> Positions.pack(new Stamp(Positions.MAX_VERSION + 1, 0)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(Positions.consumedBefore(0)).isEqualTo(Stamp.ZERO);
  }
}
