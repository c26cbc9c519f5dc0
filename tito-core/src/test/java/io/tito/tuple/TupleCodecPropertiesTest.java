package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Round trips, prefix ranges, subspaces and decoding of arbitrary bytes. */
class TupleCodecPropertiesTest {

  private static final int TRIES = 20_000;

  @Property(tries = TRIES)
  void roundTrip(@ForAll("tuples") Tuple t) {
    byte[] packed = t.pack();
    Tuple back = Tuple.unpack(packed);
    assertThat(back).isEqualTo(t);
    assertThat(back.hashCode()).isEqualTo(t.hashCode());
    assertThat(back.pack()).isEqualTo(packed);
    assertThat(back.toString()).isEqualTo(t.toString());
  }

  @Property(tries = TRIES)
  void roundTripOfCallerElements(@ForAll("elements") List<Object> elements) {
    Tuple t = Tuple.fromList(elements);
    assertThat(Tuple.unpack(t.pack())).isEqualTo(t).isEqualTo(Tuple.of(elements.toArray()));
    assertThat(t.size()).isEqualTo(elements.size());
  }

  @Property(tries = TRIES)
  void unpackOfSliceIgnoresSurroundingBytes(@ForAll("tuples") Tuple t,
      @ForAll("junk") byte[] before, @ForAll("junk") byte[] after) {
    byte[] packed = t.pack();
    byte[] framed = new byte[before.length + packed.length + after.length];
    System.arraycopy(before, 0, framed, 0, before.length);
    System.arraycopy(packed, 0, framed, before.length, packed.length);
    System.arraycopy(after, 0, framed, before.length + packed.length, after.length);
    assertThat(Tuple.unpack(framed, before.length, packed.length)).isEqualTo(t);
  }

  @Property(tries = TRIES)
  void extensionsPackInsideTheRange(@ForAll("tuples") Tuple t, @ForAll("tuples") Tuple e) {
    KeyRange range = t.range();
    assertThat(range.contains(t.pack())).as("range excludes the tuple itself").isFalse();
    assertThat(range.contains(t.addAll(e).pack())).isEqualTo(!e.isEmpty());
    Subspace s = new Subspace(t);
    assertThat(s.range()).isEqualTo(range);
    assertThat(s.unpack(s.pack(e))).isEqualTo(e);
    assertThat(s.rangeStartingWith(Tuple.EMPTY).contains(s.pack(e))).isTrue();
  }

  @Property(tries = TRIES)
  void tuplesNotStartingWithThePrefixPackOutside(@ForAll("smallPairs") List<Tuple> pair) {
    Tuple prefix = pair.get(0);
    Tuple other = pair.get(1);
    boolean extendsPrefix = other.size() > prefix.size()
        && Tuple.fromList(other.items().subList(0, prefix.size())).equals(prefix);
    assertThat(prefix.range().contains(other.pack())).as("%s in %s.range()", other, prefix)
        .isEqualTo(extendsPrefix);
    Subspace root = new Subspace(new byte[] {0x15, 0x07});
    assertThat(root.range(prefix).contains(root.pack(other))).isEqualTo(extendsPrefix);
    assertThat(root.rangeStartingWith(prefix).contains(root.pack(other)))
        .isEqualTo(extendsPrefix || other.equals(prefix));
  }

  @Property(tries = TRIES)
  void decodingRandomBytesOnlyThrowsInvalidArgument(@ForAll("junk") byte[] bytes) {
    decodeSafely(bytes);
  }

  @Property(tries = TRIES)
  void decodingTruncatedOrCorruptedEncodingsOnlyThrowsInvalidArgument(
      @ForAll("tuples") Tuple t, @ForAll @IntRange(min = 0, max = 1000) int cut,
      @ForAll @IntRange(min = 0, max = 1000) int flipAt, @ForAll byte flip) {
    byte[] packed = t.pack();
    if (packed.length == 0) {
      return;
    }
    decodeSafely(Arrays.copyOf(packed, cut % packed.length));
    byte[] corrupted = packed.clone();
    corrupted[flipAt % packed.length] ^= flip;
    decodeSafely(corrupted);
  }

  /** Decodes; a success must be canonical (re-packs to the same bytes unless a NaN was read). */
  private static void decodeSafely(byte[] bytes) {
    Tuple t;
    try {
      t = Tuple.unpack(bytes);
    } catch (InvalidArgumentException e) {
      assertThat(e.context()).containsKeys("offset", "bytes");
      assertThat((Integer) e.context().get("offset")).isBetween(0, bytes.length);
      return;
    } catch (RuntimeException | StackOverflowError e) {
      fail("unexpected " + e + " for " + Arrays.toString(bytes), e);
      return;
    }
    assertThat(Tuple.unpack(t.pack())).isEqualTo(t);
    if (!containsNaN(t)) {
      assertThat(t.pack()).as("decoding accepts only canonical encodings").isEqualTo(bytes);
    }
  }

  private static boolean containsNaN(Tuple t) {
    for (Object e : t.items()) {
      if (e instanceof Double d && d.isNaN() || e instanceof Float f && f.isNaN()
          || e instanceof Tuple n && containsNaN(n)) {
        return true;
      }
    }
    return false;
  }

  @Provide
  Arbitrary<Tuple> tuples() {
    return TupleArbitraries.tuples();
  }

  @Provide
  Arbitrary<List<Object>> elements() {
    return TupleArbitraries.element(2).list().ofMaxSize(5).map(ArrayList::new);
  }

  @Provide
  Arbitrary<List<Tuple>> smallPairs() {
    return TupleArbitraries.pairs(TupleArbitraries.smallTuples());
  }

  /** Random bytes biased towards type codes, terminators and escapes. */
  @Provide
  Arbitrary<byte[]> junk() {
    Arbitrary<Byte> interesting = Arbitraries.of(0x00, 0xFF, 0x01, 0x02, 0x05, 0x0b, 0x0c, 0x13,
        0x14, 0x15, 0x1c, 0x1d, 0x20, 0x21, 0x26, 0x27, 0x30, 0x40, 0x80, 0xC0, 0xE0, 0xF0, 0x09)
        .map(Integer::byteValue);
    Arbitrary<Byte> any = Arbitraries.oneOf(interesting, interesting, Arbitraries.bytes());
    return any.list().ofMaxSize(40).map(list -> {
      byte[] b = new byte[list.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = list.get(i);
      }
      return b;
    });
  }
}
