package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.tuple.Tuple;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast comparison of document values agrees with the tuple order that index entries sort by
 * (strings with any code points, surrogate pairs included; doubles; booleans; null; mixed kinds).
 */
class ValuesOrderPropertiesTest {

  @Property(tries = 2000)
  void fastOrderIsTupleOrder(@ForAll("values") Object a, @ForAll("values") Object b) {
    assertThat(Integer.signum(Values.ORDER.compare(a, b)))
        .as("%s vs %s", a, b)
        .isEqualTo(Integer.signum(Tuple.of(a).compareTo(Tuple.of(b))));
  }

  /** Tuples (and JSON text) hold no unpaired surrogates. */
  static boolean wellFormed(String s) {
    return s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(4).filter(ValuesOrderPropertiesTest::wellFormed)
            .map(s -> (Object) s),
        Arbitraries.of("a", "\uFFFF", "\uD83D\uDE00", "\uD83D\uDE00a", "\uE000", "")
            .list().ofMaxSize(3).map(l -> (Object) String.join("", l)),
        Arbitraries.doubles().map(d -> (Object) (d == 0.0 ? 0.0 : d)),
        Arbitraries.of(-1.5, 0.0, 2.0, Double.MAX_VALUE, -Double.MAX_VALUE).map(d -> (Object) d),
        Arbitraries.of(true, false).map(v -> (Object) v),
        Arbitraries.just(null));
  }
}
