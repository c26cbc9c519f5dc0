package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Byte-exact encodings from the FoundationDB tuple spec and the order of tricky values. */
class TupleEncodingTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static void assertPacks(Tuple t, String expectedHex) {
    assertThat(HexFormat.of().formatHex(t.pack())).as("pack of %s", t)
        .isEqualTo(expectedHex.replace(" ", ""));
    assertThat(Tuple.unpack(hex(expectedHex))).isEqualTo(t);
  }

  @Test
  void byteStringsWithEscapedNulsAnywhere() {
    assertPacks(Tuple.of((Object) hex("00")), "01 00 ff 00");
    assertPacks(Tuple.of((Object) hex("00 00")), "01 00 ff 00 ff 00");
    assertPacks(Tuple.of((Object) hex("00 ff")), "01 00 ff ff 00");
    assertPacks(Tuple.of((Object) hex("ff 00")), "01 ff 00 ff 00");
    assertPacks(Tuple.of((Object) hex("01 00 02 00 00 03"), 7L),
        "01 01 00 ff 02 00 ff 00 ff 03 00 15 07");
    assertPacks(Tuple.of("a\0b", hex("00 01")), "02 61 00 ff 62 00 01 00 ff 01 00");
    assertPacks(Tuple.of(Tuple.of((Object) hex("00")), "x"), "05 01 00 ff 00 00 02 78 00");
  }

  @Test
  void integers() {
    assertPacks(Tuple.of(0L), "14");
    assertPacks(Tuple.of(1L), "15 01");
    assertPacks(Tuple.of(-1L), "13 fe");
    assertPacks(Tuple.of(255L), "15 ff");
    assertPacks(Tuple.of(256L), "16 01 00");
    assertPacks(Tuple.of(-255L), "13 00");
    assertPacks(Tuple.of(-256L), "12 fe ff");
    assertPacks(Tuple.of(-5551212L), "11 ab 4b 93"); // the spec's test case
    assertPacks(Tuple.of(Long.MAX_VALUE), "1c 7f ff ff ff ff ff ff ff");
    assertPacks(Tuple.of(Long.MIN_VALUE), "0c 7f ff ff ff ff ff ff ff");
    assertPacks(Tuple.of(Long.MIN_VALUE + 1), "0c 80 00 00 00 00 00 00 00");
  }

  @Test
  void integersOfEveryJavaTypePackTheSame() {
    byte[] expected = Tuple.of(1L).pack();
    assertThat(Tuple.of(1).pack()).isEqualTo(expected);
    assertThat(Tuple.of((short) 1).pack()).isEqualTo(expected);
    assertThat(Tuple.of((byte) 1).pack()).isEqualTo(expected);
    assertThat(Tuple.of(BigInteger.ONE).pack()).isEqualTo(expected);
  }

  @Test
  void bigIntegers() {
    BigInteger two64 = BigInteger.ONE.shiftLeft(64);
    assertPacks(Tuple.of(BigInteger.ONE.shiftLeft(63)), "1c 80 00 00 00 00 00 00 00");
    assertPacks(Tuple.of(two64.subtract(BigInteger.ONE)), "1c ff ff ff ff ff ff ff ff");
    assertPacks(Tuple.of(two64.subtract(BigInteger.ONE).negate()), "0c 00 00 00 00 00 00 00 00");
    assertPacks(Tuple.of(two64), "1d 09 01 00 00 00 00 00 00 00 00");
    assertPacks(Tuple.of(two64.negate()), "0b f6 fe ff ff ff ff ff ff ff ff");
    BigInteger max = BigInteger.ONE.shiftLeft(8 * 255).subtract(BigInteger.ONE);
    assertPacks(Tuple.of(max), "1d ff" + "ff".repeat(255));
    assertPacks(Tuple.of(max.negate()), "0b 00" + "00".repeat(255));
  }

  @Test
  void stringsAndBytesEscapeZero() {
    assertPacks(Tuple.of("a\0b"), "02 61 00 ff 62 00");
    assertPacks(Tuple.of("F\u00d4O\u0000bar"), "02 46 c3 94 4f 00 ff 62 61 72 00");
    assertPacks(Tuple.of((Object) "foo\0bar".getBytes()), "01 66 6f 6f 00 ff 62 61 72 00");
    assertPacks(Tuple.of(""), "02 00");
    assertPacks(Tuple.of((Object) new byte[0]), "01 00");
    assertPacks(Tuple.of("\uD83D\uDE00"), "02 f0 9f 98 80 00");
  }

  @Test
  void nestedTuplesEscapeNullInside() {
    // The spec's test case: ((b"foo\x00bar", None, ()),)
    assertPacks(Tuple.of(Tuple.of("foo\0bar".getBytes(), null, Tuple.EMPTY)),
        "05 01 66 6f 6f 00 ff 62 61 72 00 00 ff 05 00 00");
    assertPacks(Tuple.of(null, Tuple.of((Object) null)), "00 05 00 ff 00");
    assertPacks(Tuple.of(Tuple.EMPTY), "05 00");
  }

  @Test
  void scalars() {
    assertPacks(Tuple.of((Object) null), "00");
    assertPacks(Tuple.of(false, true), "26 27");
    assertPacks(Tuple.of(-42f), "20 3d d7 ff ff"); // the spec's test case
    assertPacks(Tuple.of(1.0), "21 bf f0 00 00 00 00 00 00");
    assertPacks(Tuple.of(-1.0), "21 40 0f ff ff ff ff ff ff");
    assertPacks(Tuple.of(0.0), "21 80 00 00 00 00 00 00 00");
    assertPacks(Tuple.of(-0.0), "21 7f ff ff ff ff ff ff ff");
    assertPacks(Tuple.of(Double.NaN), "21 ff f8 00 00 00 00 00 00");
    assertPacks(Tuple.of(Float.NaN), "20 ff c0 00 00");
    assertPacks(Tuple.of(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")),
        "30 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
    assertPacks(Tuple.EMPTY, "");
  }

  @Test
  void instantsUseTitoTypeCode0x40() {
    assertPacks(Tuple.of(Instant.EPOCH), "40 80 00 00 00 00 00 00 00 00 00 00 00");
    assertPacks(Tuple.of(Instant.ofEpochSecond(-1, 5)), "40 7f ff ff ff ff ff ff ff 00 00 00 05");
    assertPacks(Tuple.of(Instant.ofEpochSecond(1, 999_999_999)),
        "40 80 00 00 00 00 00 00 01 3b 9a c9 ff");
    assertThat(Tuple.unpack(Tuple.of(Instant.MIN, Instant.MAX).pack()))
        .isEqualTo(Tuple.of(Instant.MIN, Instant.MAX));
  }

  @Test
  void everyNaNPacksToTheCanonicalNaN() {
    byte[] canonical = Tuple.of(Double.NaN).pack();
    for (long bits : new long[] {0x7ff0000000000001L, 0xfff8000000000000L, -1L}) {
      Tuple t = Tuple.of(Double.longBitsToDouble(bits));
      assertThat(t.pack()).isEqualTo(canonical);
      assertThat(t).isEqualTo(Tuple.of(Double.NaN));
    }
    assertThat(Tuple.of(Float.intBitsToFloat(0xffc00001)).pack())
        .isEqualTo(Tuple.of(Float.NaN).pack());
    // Foreign NaN payloads decode to the canonical NaN.
    assertThat(Tuple.unpack(hex("21 00 00 00 00 00 00 00 00")).pack()).isEqualTo(canonical);
  }

  @Test
  void integersOfAllWidthsAndCodesSortByValue() {
    List<BigInteger> values = new ArrayList<>();
    for (int k = 0; k <= 255; k++) {
      BigInteger p = BigInteger.ONE.shiftLeft(8 * k);
      for (BigInteger v : List.of(p.subtract(BigInteger.ONE), p, p.add(BigInteger.ONE))) {
        if (v.bitLength() <= 8 * 255) {
          values.add(v);
          values.add(v.negate());
        }
      }
    }
    List<byte[]> packed = values.stream().sorted().distinct().map(v -> Tuple.of(v).pack()).toList();
    for (int i = 1; i < packed.size(); i++) {
      assertThat(Arrays.compareUnsigned(packed.get(i - 1), packed.get(i)))
          .as("%s < %s", Tuple.unpack(packed.get(i - 1)), Tuple.unpack(packed.get(i)))
          .isNegative();
    }
  }

  @Test
  void typesSortByTypeCodeAndValuesWithinTypes() {
    List<Tuple> ascending = List.of(
        Tuple.EMPTY,
        Tuple.of((Object) null),
        Tuple.of((Object) new byte[0]),
        Tuple.of((Object) new byte[] {0}),
        Tuple.of((Object) new byte[] {(byte) 0xFF}),
        Tuple.of(""),
        Tuple.of("a"),
        Tuple.of("a\0"),
        Tuple.of("\uFFFF"),
        Tuple.of("\uD83D\uDE00"), // U+1F600 sorts after U+FFFF, unlike String.compareTo
        Tuple.of(Tuple.EMPTY),
        Tuple.of(Tuple.of((Object) null)),
        Tuple.of(Tuple.of(0L)),
        Tuple.of(BigInteger.ONE.shiftLeft(80).negate()),
        Tuple.of(Long.MIN_VALUE),
        Tuple.of(-1L),
        Tuple.of(0L),
        Tuple.of(Long.MAX_VALUE),
        Tuple.of(BigInteger.ONE.shiftLeft(80)),
        Tuple.of(Float.NEGATIVE_INFINITY),
        Tuple.of(-0.0f),
        Tuple.of(0.0f),
        Tuple.of(Float.NaN),
        Tuple.of(Double.NEGATIVE_INFINITY),
        Tuple.of(-Double.MAX_VALUE),
        Tuple.of(-0.0),
        Tuple.of(0.0),
        Tuple.of(Double.MIN_VALUE),
        Tuple.of(Double.POSITIVE_INFINITY),
        Tuple.of(Double.NaN),
        Tuple.of(false),
        Tuple.of(true),
        Tuple.of(new UUID(0, 0)),
        Tuple.of(new UUID(Long.MAX_VALUE, -1)),
        Tuple.of(new UUID(Long.MIN_VALUE, 0)), // negative msb: after, unlike UUID.compareTo
        Tuple.of(new UUID(-1, -1)),
        Tuple.of(Instant.MIN),
        Tuple.of(Instant.ofEpochSecond(-1, 999_999_999)),
        Tuple.of(Instant.EPOCH),
        Tuple.of(Instant.MAX));
    for (int i = 1; i < ascending.size(); i++) {
      Tuple a = ascending.get(i - 1);
      Tuple b = ascending.get(i);
      assertThat(a.compareTo(b)).as("%s < %s", a, b).isNegative();
      assertThat(Arrays.compareUnsigned(a.pack(), b.pack())).as("bytes %s < %s", a, b).isNegative();
    }
    assertThat("\uD83D\uDE00".compareTo("\uFFFF")).as("UTF-16 order differs").isNegative();
    assertThat(new UUID(Long.MIN_VALUE, 0).compareTo(new UUID(0, 0))).isNegative();
  }

  @Test
  void shorterPrefixSortsFirst() {
    Tuple a = Tuple.of("a");
    assertThat(a.compareTo(Tuple.of("a", null))).isNegative();
    assertThat(Arrays.compareUnsigned(a.pack(), Tuple.of("a", null).pack())).isNegative();
    assertThat(Tuple.of(Tuple.of("a")).compareTo(Tuple.of(Tuple.of("a", null)))).isNegative();
    assertThat(Arrays.compareUnsigned(Tuple.of(Tuple.of("a"), 5L).pack(),
        Tuple.of(Tuple.of("a", null)).pack())).isNegative();
  }
}
