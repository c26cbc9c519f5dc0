package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tito.InvalidArgumentException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Construction, normalisation, getters, immutability, equality and printing. */
class TupleApiTest {

  @Test
  void integersNormaliseToLongAndCompareByValue() {
    Tuple t = Tuple.of(1, (short) 2, (byte) 3, 4L, BigInteger.valueOf(5),
        BigInteger.valueOf(Long.MIN_VALUE), BigInteger.ONE.shiftLeft(63));
    assertThat(t.items()).containsExactly(1L, 2L, 3L, 4L, 5L, Long.MIN_VALUE,
        BigInteger.ONE.shiftLeft(63));
    assertThat(Tuple.of(7)).isEqualTo(Tuple.of(7L)).isEqualTo(Tuple.of(BigInteger.valueOf(7)));
    assertThat(Tuple.of(7).hashCode()).isEqualTo(Tuple.of(BigInteger.valueOf(7)).hashCode());
    assertThat(t.getLong(0)).isEqualTo(1L);
    assertThat(t.getBigInteger(0)).isEqualTo(BigInteger.ONE);
    assertThat(t.getBigInteger(6)).isEqualTo(BigInteger.ONE.shiftLeft(63));
    assertThatThrownBy(() -> t.getLong(6)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("index=6");
  }

  @Test
  void floatsAndDoublesAreDistinctTypes() {
    assertThat(Tuple.of(1.0f)).isNotEqualTo(Tuple.of(1.0));
    assertThat(Tuple.of(1.0f).compareTo(Tuple.of(1.0))).isNegative();
    assertThat(Tuple.of(Double.MAX_VALUE).compareTo(Tuple.of(Float.NaN))).isPositive();
    assertThatThrownBy(() -> Tuple.of(1.0f).getDouble(0))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(Tuple.of(1.5f).getFloat(0)).isEqualTo(1.5f);
  }

  @Test
  void negativeZeroIsDistinctAndSortsFirst() {
    assertThat(Tuple.of(-0.0)).isNotEqualTo(Tuple.of(0.0));
    assertThat(Tuple.of(-0.0).compareTo(Tuple.of(0.0))).isNegative();
    assertThat(Arrays.compareUnsigned(Tuple.of(-0.0).pack(), Tuple.of(0.0).pack())).isNegative();
    assertThat(Tuple.of(-0.0f).compareTo(Tuple.of(0.0f))).isNegative();
    assertThat(Tuple.unpack(Tuple.of(-0.0).pack()).getDouble(0)).isEqualTo(-0.0);
  }

  @Test
  void nanIsCanonicalAndSortsLast() {
    Tuple negativeNaN = Tuple.of(Double.longBitsToDouble(0xfff8000000000001L));
    assertThat(Double.doubleToRawLongBits(negativeNaN.getDouble(0)))
        .isEqualTo(Double.doubleToRawLongBits(Double.NaN));
    assertThat(negativeNaN).isEqualTo(Tuple.of(Double.NaN));
    assertThat(negativeNaN.compareTo(Tuple.of(Double.POSITIVE_INFINITY))).isPositive();
    assertThat(Double.compare(Double.NaN, Double.POSITIVE_INFINITY)).isPositive();
  }

  @Test
  void listsBecomeNestedTuples() {
    Tuple t = Tuple.of("a", List.of(1, List.of("b")), Tuple.of(true));
    assertThat(t.getNested(1)).isEqualTo(Tuple.of(1L, Tuple.of("b")));
    assertThat(t.getNested(2)).isEqualTo(Tuple.of(true));
    assertThat(Tuple.fromList(List.of("a", List.of(1, List.of("b")), List.of(true)))).isEqualTo(t);
  }

  @Test
  void unsupportedTypesAreRejectedNamingTheClass() {
    for (Object bad : new Object[] {new Object(), new AtomicLong(1), Optional.empty(),
        new int[] {1}, 'c', BigDecimal.ONE, LocalDate.EPOCH, java.util.Map.of()}) {
      InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
          () -> Tuple.of("ok", bad));
      assertThat(e).as("%s", bad.getClass()).isNotNull();
      assertThat(e.context()).containsEntry("class", bad.getClass().getName());
      assertThat(e.staticMessage()).isEqualTo("unsupported tuple element type");
    }
    assertThatThrownBy(() -> Tuple.EMPTY.add(new Object()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Tuple.of(List.of(new Object())))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void unpairedSurrogatesAreRejected() {
    for (String bad : new String[] {"\uD83D", "a\uDE00", "\uDE00\uD83D", "x\uD83Dy"}) {
      assertThatThrownBy(() -> Tuple.of(bad)).isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("charIndex");
    }
    assertThat(Tuple.of("\uD83D\uDE00").getString(0)).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void integerMagnitudeIsLimitedTo255Bytes() {
    BigInteger max = BigInteger.ONE.shiftLeft(8 * 255).subtract(BigInteger.ONE);
    assertThat(Tuple.of(max.negate()).getBigInteger(0)).isEqualTo(max.negate());
    assertThatThrownBy(() -> Tuple.of(max.add(BigInteger.ONE)))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("magnitudeBytes=256");
    assertThatThrownBy(() -> Tuple.of(max.add(BigInteger.ONE).negate()))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void nestingIsLimited() {
    Tuple t = Tuple.EMPTY;
    for (int i = 0; i < Tuple.MAX_DEPTH; i++) {
      t = Tuple.of(t);
    }
    Tuple deepest = t;
    assertThat(Tuple.unpack(deepest.pack())).isEqualTo(deepest);
    assertThatThrownBy(() -> Tuple.of(deepest)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("too deep");
    assertThatThrownBy(() -> Tuple.EMPTY.add(deepest)).isInstanceOf(InvalidArgumentException.class);
    List<Object> selfContaining = new ArrayList<>();
    selfContaining.add(selfContaining);
    assertThatThrownBy(() -> Tuple.fromList(selfContaining))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void byteArraysAreCopiedInAndOut() {
    byte[] input = {1, 2};
    Tuple t = Tuple.of((Object) input);
    input[0] = 9;
    assertThat(t.getBytes(0)).containsExactly(1, 2);
    t.getBytes(0)[0] = 9;
    ((byte[]) t.get(0))[0] = 9;
    ((byte[]) t.items().get(0))[0] = 9;
    byte[] packed = t.pack();
    packed[1] = 9;
    assertThat(t.getBytes(0)).containsExactly(1, 2);
    assertThat(t.pack()).containsExactly(0x01, 1, 2, 0x00);
    assertThat(Tuple.of((Object) new byte[] {1, 2})).isEqualTo(t)
        .hasSameHashCodeAs(Tuple.of((Object) new byte[] {1, 2}));
  }

  @Test
  void addReturnsNewTuples() {
    Tuple a = Tuple.of("a");
    Tuple b = a.add(1).add(List.of(2));
    Tuple c = b.addAll(Tuple.of(true, null)).addAll(List.of("z"));
    assertThat(a).isEqualTo(Tuple.of("a"));
    assertThat(b).isEqualTo(Tuple.of("a", 1L, Tuple.of(2L)));
    assertThat(c).isEqualTo(Tuple.of("a", 1L, Tuple.of(2L), true, null, "z"));
    assertThat(c.size()).isEqualTo(6);
    assertThat(a.addAll((Tuple) null)).isSameAs(a);
    assertThat(Tuple.of(1L).add(Tuple.of(2L))).isEqualTo(Tuple.of(1L, Tuple.of(2L)));
  }

  @Test
  void gettersCheckIndexTypeAndNull() {
    UUID u = UUID.randomUUID();
    Instant now = Instant.ofEpochSecond(1_700_000_000, 123);
    Tuple t = Tuple.of(null, "s", new byte[] {7}, 3L, 2.5, 1.5f, true, u, now, Tuple.of(1));
    assertThat(t.isNull(0)).isTrue();
    assertThat(t.getString(0)).isNull();
    assertThat(t.getBytes(0)).isNull();
    assertThat(t.getNested(0)).isNull();
    assertThat(t.getBigInteger(0)).isNull();
    assertThat(t.getString(1)).isEqualTo("s");
    assertThat(t.getBytes(2)).containsExactly(7);
    assertThat(t.getLong(3)).isEqualTo(3L);
    assertThat(t.getDouble(4)).isEqualTo(2.5);
    assertThat(t.getFloat(5)).isEqualTo(1.5f);
    assertThat(t.getBoolean(6)).isTrue();
    assertThat(t.getUuid(7)).isEqualTo(u);
    assertThat(t.getInstant(8)).isEqualTo(now);
    assertThat(t.getNested(9)).isEqualTo(Tuple.of(1L));
    assertThat(t.get(3)).isEqualTo(3L);

    InvalidArgumentException wrongType = catchThrowableOfType(InvalidArgumentException.class,
        () -> t.getString(3));
    assertThat(wrongType.context()).containsEntry("index", 3).containsEntry("expected", "String")
        .containsEntry("actual", "Long");
    for (int primitive = 0; primitive < 4; primitive++) {
      int p = primitive;
      assertThatThrownBy(() -> {
        switch (p) {
          case 0 -> t.getLong(0);
          case 1 -> t.getDouble(0);
          case 2 -> t.getFloat(0);
          default -> t.getBoolean(0);
        }
      }).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("actual=null");
    }
    InvalidArgumentException badIndex = catchThrowableOfType(InvalidArgumentException.class,
        () -> t.get(10));
    assertThat(badIndex.context()).containsEntry("index", 10).containsEntry("size", 10);
    assertThatThrownBy(() -> t.getString(-1)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void itemsAreUnmodifiable() {
    Tuple t = Tuple.of(1, 2);
    assertThatThrownBy(() -> t.items().add(3L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void varargsNullIsOneNullElement() {
    assertThat(Tuple.of((Object[]) null)).isEqualTo(Tuple.of((Object) null));
    assertThat(Tuple.of((Object) null).size()).isEqualTo(1);
    assertThat(Tuple.of().isEmpty()).isTrue();
    assertThat(Tuple.of()).isEqualTo(Tuple.EMPTY);
    assertThatThrownBy(() -> Tuple.fromList(null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void rangeHoldsStrictExtensions() {
    Tuple t = Tuple.of("a");
    assertThat(t.range().begin()).containsExactly(0x02, 'a', 0x00, 0x00);
    assertThat(t.range().end()).containsExactly(0x02, 'a', 0x00, 0xFF);
    assertThat(t.range().contains(t.pack())).isFalse();
    assertThat(t.range().contains(t.add(null).pack())).isTrue();
    assertThat(t.range().contains(Tuple.of("a\0").pack())).isFalse();
    assertThat(t.range().contains(Tuple.of("ab").pack())).isFalse();
    assertThat(Tuple.EMPTY.range().begin()).containsExactly(0x00);
    assertThat(Tuple.EMPTY.range().end()).containsExactly(0xFF);
  }

  @Test
  void toStringIsReadable() {
    Tuple t = Tuple.of("a\"b\n", 1, new byte[] {0, 'x'}, null, 1.5f, 2.5,
        Tuple.of(true, BigInteger.ONE.shiftLeft(70)), new UUID(0, 1), Instant.EPOCH);
    assertThat(t.toString()).isEqualTo("(\"a\\\"b\\u000a\", 1, b\"\\x00x\", null, 1.5f, 2.5, "
        + "(true, 1180591620717411303424), 00000000-0000-0000-0000-000000000001, "
        + "1970-01-01T00:00:00Z)");
    assertThat(Tuple.EMPTY.toString()).isEqualTo("()");
  }
}
