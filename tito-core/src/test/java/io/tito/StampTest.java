package io.tito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StampTest {

  @Property
  void byteOrderIsStampOrder(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long v1, @ForAll @IntRange(max = Stamp.MAX_ORDER) int o1,
      @ForAll @LongRange(min = 0) long v2, @ForAll @IntRange(max = Stamp.MAX_ORDER) int o2) {
    Stamp a = new Stamp(v1, o1);
    Stamp b = new Stamp(v2, o2);
    assertThat(Integer.signum(ByteArrays.compare(a.toBytes(), b.toBytes()))).isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(Stamp.fromBytes(a.toBytes(), 0)).isEqualTo(a);
    assertThat(a.next()).isGreaterThan(a);
  }

  @Test
  void appendsToAPrefixAndDecodesAtAnOffset() {
    Stamp s = new Stamp(0x0102030405060708L, 0xABCD);
    byte[] key = s.appendTo(new byte[] {9, 9});
    assertThat(key).hasSize(2 + Stamp.LENGTH);
    assertThat(Stamp.fromBytes(key, 2)).isEqualTo(s);
    assertThat(new Stamp(5, Stamp.MAX_ORDER).next()).isEqualTo(new Stamp(6, 0));
    assertThat(s.toString()).isEqualTo(0x0102030405060708L + "." + 0xABCD);
    assertThatThrownBy(() -> new Stamp(Long.MAX_VALUE, Stamp.MAX_ORDER).next())
        .as("the last stamp has no next").isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void refusesOutOfRangeAndShortInput() {
    assertThatThrownBy(() -> new Stamp(-1, 0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new Stamp(1, Stamp.MAX_ORDER + 1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Stamp.fromBytes(new byte[9], 0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Stamp.fromBytes(new byte[12], 3)).isInstanceOf(InvalidArgumentException.class);
  }
}
