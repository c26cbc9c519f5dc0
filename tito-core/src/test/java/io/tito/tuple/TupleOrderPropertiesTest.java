package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The order contract: the sign of the unsigned comparison of the packed bytes equals the sign of
 * {@link Tuple#compareTo}, which in turn agrees with a plain-Java oracle for each type. Every
 * property also checks that equality, hash codes and byte equality agree.
 */
class TupleOrderPropertiesTest {

  private static final int TRIES = 20_000;

  @Property(tries = TRIES)
  void bytesOrder(@ForAll("bytes") byte[] a, @ForAll("bytes") byte[] b) {
    check(a, b, Arrays.compareUnsigned(a, b));
  }

  @Property(tries = TRIES)
  void stringOrderIsCodePointOrder(@ForAll("strings") String a, @ForAll("strings") String b) {
    int byCodePoint = Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    int byUtf8 = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
    assertThat(Integer.signum(byCodePoint)).isEqualTo(Integer.signum(byUtf8));
    check(a, b, byCodePoint);
  }

  @Property(tries = TRIES)
  void integerOrderIsNumericAcrossWidthsAndCodes(@ForAll("integers") Object a,
      @ForAll("integers") Object b) {
    check(a, b, new BigInteger(a.toString()).compareTo(new BigInteger(b.toString())));
  }

  @Property(tries = TRIES)
  void doubleOrderIsTotalOrder(@ForAll("doubles") double a, @ForAll("doubles") double b) {
    check(a, b, Double.compare(a, b));
  }

  @Property(tries = TRIES)
  void floatOrderIsTotalOrder(@ForAll("floats") float a, @ForAll("floats") float b) {
    check(a, b, Float.compare(a, b));
  }

  @Property(tries = TRIES)
  void booleanOrder(@ForAll boolean a, @ForAll boolean b) {
    check(a, b, Boolean.compare(a, b));
  }

  @Property(tries = TRIES)
  void uuidOrderIsUnsigned128Bit(@ForAll("uuids") UUID a, @ForAll("uuids") UUID b) {
    check(a, b, unsigned(a).compareTo(unsigned(b)));
  }

  @Property(tries = TRIES)
  void instantOrderIsChronological(@ForAll("instants") Instant a, @ForAll("instants") Instant b) {
    check(a, b, a.compareTo(b));
  }

  @Property(tries = TRIES)
  void nestedTupleOrder(@ForAll("pairs") List<Tuple> pair) {
    Tuple a = pair.get(0);
    Tuple b = pair.get(1);
    check(a, b, a.compareTo(b));
  }

  @Property(tries = TRIES)
  void mixedTupleOrder(@ForAll("pairs") List<Tuple> pair) {
    assertConsistent(pair.get(0), pair.get(1));
  }

  @Property(tries = TRIES)
  void smallDomainTupleOrder(@ForAll("smallPairs") List<Tuple> pair) {
    assertConsistent(pair.get(0), pair.get(1));
  }

  /** Single-element tuples of a and b: byte order, compareTo and the oracle all agree. */
  private static void check(Object a, Object b, int oracle) {
    Tuple ta = Tuple.of(a);
    Tuple tb = Tuple.of(b);
    assertThat(Integer.signum(ta.compareTo(tb)))
        .as("compareTo(%s, %s) vs oracle", ta, tb)
        .isEqualTo(Integer.signum(oracle));
    assertConsistent(ta, tb);
    // Extending both with the same suffix keeps the order (escaping/terminators are sound).
    assertConsistent(ta.add("z"), tb.add(0L));
    assertConsistent(Tuple.of(ta, 1L), Tuple.of(tb, null));
  }

  static void assertConsistent(Tuple a, Tuple b) {
    byte[] pa = a.pack();
    byte[] pb = b.pack();
    int byBytes = Integer.signum(Arrays.compareUnsigned(pa, pb));
    int byTuple = Integer.signum(a.compareTo(b));
    assertThat(byBytes).as("byte order vs compareTo of %s and %s", a, b).isEqualTo(byTuple);
    assertThat(Integer.signum(b.compareTo(a))).as("antisymmetry").isEqualTo(-byTuple);
    assertThat(a.equals(b)).as("equals vs compareTo").isEqualTo(byTuple == 0);
    assertThat(Arrays.equals(pa, pb)).as("equal bytes vs equals").isEqualTo(byTuple == 0);
    if (byTuple == 0) {
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }
  }

  private static BigInteger unsigned(UUID u) {
    ByteBuffer bb = ByteBuffer.allocate(16);
    bb.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return new BigInteger(1, bb.array());
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return TupleArbitraries.bytes();
  }

  @Provide
  Arbitrary<String> strings() {
    return TupleArbitraries.strings();
  }

  @Provide
  Arbitrary<Object> integers() {
    return TupleArbitraries.integers();
  }

  @Provide
  Arbitrary<Double> doubles() {
    return TupleArbitraries.doubles();
  }

  @Provide
  Arbitrary<Float> floats() {
    return TupleArbitraries.floats();
  }

  @Provide
  Arbitrary<UUID> uuids() {
    return TupleArbitraries.uuids();
  }

  @Provide
  Arbitrary<Instant> instants() {
    return TupleArbitraries.instants();
  }

  @Provide
  Arbitrary<List<Tuple>> pairs() {
    return TupleArbitraries.pairs(TupleArbitraries.tuples());
  }

  @Provide
  Arbitrary<List<Tuple>> smallPairs() {
    return TupleArbitraries.pairs(TupleArbitraries.smallTuples());
  }
}
