package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TupleWriterTest {

  @Property(tries = 500)
  void writesWhatTupleOfPacks(@ForAll("elements") List<Object> elements,
      @ForAll("prefixes") byte[] prefix) {
    TupleWriter w = new TupleWriter(prefix, 0);
    for (Object e : elements) {
      switch (e) {
        case null -> w.addObject(null);
        case Long l -> w.add((long) l);
        case String s -> w.add(s);
        case byte[] b -> w.add(b);
        case UUID u -> w.add(u);
        default -> w.addObject(e);
      }
    }
    assertThat(w.toBytes()).isEqualTo(new Subspace(prefix).pack(Tuple.fromList(elements)));
  }

  @Property(tries = 300)
  void addAllWritesTheTuplesElementsInPlace(@ForAll("elements") List<Object> elements,
      @ForAll("elements") List<Object> more, @ForAll("prefixes") byte[] prefix) {
    Tuple t = Tuple.fromList(elements);
    byte[] written = new TupleWriter(prefix, 0).addAll(t).addAll(Tuple.fromList(more)).toBytes();
    List<Object> all = new ArrayList<>(elements);
    all.addAll(more);
    assertThat(written).isEqualTo(new Subspace(prefix).pack(Tuple.fromList(all)));
    assertThatThrownBy(() -> new TupleWriter(prefix, 0).addAll(null))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void typedNullsAreTheNullElement() {
    byte[] written = new TupleWriter(new byte[0], 4).add((String) null).add((byte[]) null)
        .add((UUID) null).addObject(null).toBytes();
    assertThat(written).isEqualTo(Tuple.of(null, null, null, null).pack());
  }

  @Test
  void bytesAreEncodedWhenAdded() {
    byte[] payload = {1, 0, 2};
    TupleWriter w = new TupleWriter(new byte[] {9}, 1).add(payload);
    payload[0] = 7;
    assertThat(w.toBytes()).isEqualTo(new Subspace(new byte[] {9}).pack((Object) new byte[] {1, 0, 2}));
  }

  @Test
  void rejectsWhatTupleOfRejects() {
    TupleWriter w = new TupleWriter(new byte[0], 8);
    assertThatThrownBy(() -> w.add("a\uD800b")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> w.addObject(new Object())).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unsupported tuple element type");
    assertThatThrownBy(() -> w.addObject(BigInteger.ONE.shiftLeft(8 * 256)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void aNullPrefixIsRefused() {
    assertThatThrownBy(() -> new TupleWriter(null, 8)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("prefix");
  }

  @Test
  void anExactlySizedWriterHandsOutEachResultFreshAndNeverChangesOne() {
    TupleWriter w = new TupleWriter(new byte[] {7}, 2).add(5); // 0x15 0x05: exactly full
    byte[] first = w.toBytes();
    byte[] second = w.toBytes();
    assertThat(second).isEqualTo(first).isNotSameAs(first);
    w.add(6);
    assertThat(first).as("the first result after a later add").isEqualTo(new byte[] {7, 0x15, 5});
    assertThat(w.toBytes()).isEqualTo(new byte[] {7, 0x15, 5, 0x15, 6});
  }

  @Provide
  Arbitrary<List<Object>> elements() {
    return TupleArbitraries.element(2).list().ofMaxSize(8).map(ArrayList::new);
  }

  @Provide
  Arbitrary<byte[]> prefixes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
  }
}
