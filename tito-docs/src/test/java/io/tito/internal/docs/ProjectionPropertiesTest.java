package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.data.Codec;
import io.tito.docs.Filter;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A filter tested on the {@link Projection} of a stored document (only the subtrees at the
 * filter's paths, read from the encoded bytes) answers as on the whole body, for random nested
 * documents (objects, arrays, every scalar kind, JSON null, big and fractional numbers, strings and
 * field names with escapes and non-ASCII characters, compact or indented and with every non-ASCII
 * character escaped) and random filters over nested, overlapping paths; the lazily decoded
 * document keeps its id and body.
 */
class ProjectionPropertiesTest {

  private static final Codec<StoredDoc> PLAIN = StoredDoc.codec(new ObjectMapper());
  /** Indented, every non-ASCII character as a unicode escape. */
  private static final Codec<StoredDoc> ESCAPING = StoredDoc.codec(JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT).enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .build());
  private static final List<String> NAMES = List.of("a", "b", "c", "é", "q\"t", "d");
  private static final List<String> PATHS = List.of("a", "b", "c", "a.b", "a.c", "b.a", "a.b.c",
      "é", "a.é", "q\"t", "q\"t.a");
  private static final List<String> TEXTS = List.of("x", "xy", "y", "é\"\\\n\u2028", "\uD83D\uDE00",
      "");

  @Property(tries = 1000)
  void projectionAnswersAsTheWholeBody(@ForAll("bodies") ObjectNode body,
      @ForAll("filters") Filter filter, @ForAll boolean escaping) {
    Codec<StoredDoc> codec = escaping ? ESCAPING : PLAIN;
    String id = escaping ? "dé-\"1" : "doc-1";
    byte[] bytes = codec.encode(new StoredDoc(id, body));
    StoredDoc lazy = codec.decode(bytes);
    Projection.Result r = Projection.of(filter).read(bytes);
    assertThat(r.id()).isEqualTo(id);
    assertThat(filter.test(r.body())).as("%s on %s", filter, body).isEqualTo(filter.test(body));
    assertThat(lazy.matches(filter, Projection.of(filter))).isEqualTo(filter.test(body));
    assertThat(lazy.id()).isEqualTo(id);
    assertThat(lazy.body()).isEqualTo(body);
    assertThat(codec.decode(bytes).matches(filter, null)).isEqualTo(filter.test(body));
  }

  @Property(tries = 300)
  void projectionKeepsTheWantedSubtreesWhole(@ForAll("bodies") ObjectNode body,
      @ForAll boolean escaping) {
    byte[] bytes = (escaping ? ESCAPING : PLAIN).encode(new StoredDoc("x", body));
    Filter all = Filter.or(NAMES.stream().map(Filter::exists).toArray(Filter[]::new));
    assertThat(Projection.of(all).read(bytes).body()).isEqualTo(body);
  }

  @Example
  void aDeeplyNestedWantedSubtreeIsLeftToTheFullParse() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode n = body.putObject("a");
    for (int d = 0; d < 150; d++) {
      n = n.putArray("b").addObject();
    }
    n.put("c", 1);
    byte[] bytes = PLAIN.encode(new StoredDoc("deep", body));
    Filter f = Filter.exists("a");
    assertThatThrownBy(() -> Projection.of(f).read(bytes))
        .isInstanceOf(IllegalStateException.class);
    assertThat(PLAIN.decode(bytes).matches(f, Projection.of(f))).isTrue();
    assertThat(PLAIN.decode(bytes).matches(Filter.exists("b"), Projection.of(Filter.exists("b"))))
        .as("skipped, not built: any depth").isFalse();
  }

  @Provide
  Arbitrary<ObjectNode> bodies() {
    return object(3);
  }

  static Arbitrary<ObjectNode> object(int depth) {
    Arbitrary<JsonNode> value = value(depth - 1);
    return Combinators.combine(Arbitraries.of(NAMES), value).as(Field::new)
        .list().ofMaxSize(4).map(fields -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          fields.forEach(f -> o.set(f.name(), f.value()));
          return o;
        });
  }

  record Field(String name, JsonNode value) {}

  private static Arbitrary<JsonNode> value(int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        Arbitraries.integers().between(-2, 3).map(i -> (JsonNode) f.numberNode(i)),
        Arbitraries.integers().between(-2, 3).map(i -> (JsonNode) f.numberNode(i / 2.0)),
        Arbitraries.of(TEXTS).map(s -> (JsonNode) f.textNode(s)),
        Arbitraries.of(1L << 40, Long.MIN_VALUE, 1e300, -0.0).map(n -> (JsonNode) (n instanceof Long l
            ? f.numberNode(l) : f.numberNode((Double) n))),
        Arbitraries.just((JsonNode) f.numberNode(new java.math.BigInteger("123456789012345678901"))),
        Arbitraries.of(true, false).map(b -> (JsonNode) f.booleanNode(b)),
        Arbitraries.just((JsonNode) f.nullNode()));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<JsonNode> array = scalar.list().ofMaxSize(3).map(l -> {
      ArrayNode a = f.arrayNode();
      l.forEach(a::add);
      return (JsonNode) a;
    });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar), net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(2, object(depth).map(o -> (JsonNode) o)));
  }

  @Provide
  Arbitrary<Filter> filters() {
    Arbitrary<String> path = Arbitraries.of(PATHS);
    Arbitrary<Object> v = Arbitraries.oneOf(Arbitraries.integers().between(-2, 3).map(i -> i),
        Arbitraries.integers().between(-2, 3).map(i -> (Object) (i / 2.0)),
        Arbitraries.of(TEXTS).map(s -> s), Arbitraries.of(true, false).map(b -> b),
        Arbitraries.of(1.2345678901234567e20, 1e300, 1099511627776.0).map(d -> d));
    Arbitrary<Filter> leaf = Arbitraries.oneOf(
        Combinators.combine(path, v).as(Filter::eq),
        Combinators.combine(path, v).as(Filter::ne),
        Combinators.combine(path, v).as(Filter::gt),
        Combinators.combine(path, v).as(Filter::le),
        path.map(p -> Filter.eq(p, null)),
        path.map(Filter::exists),
        Combinators.combine(path, Arbitraries.of("x", "")).as(Filter::startsWith),
        Combinators.combine(path, v).as(Filter::contains),
        Combinators.combine(path, v, v).as((p, a, b) -> Filter.in(p, a, b)));
    return Arbitraries.oneOf(leaf,
        leaf.list().ofMinSize(2).ofMaxSize(3).map(l -> Filter.and(l.toArray(Filter[]::new))),
        leaf.list().ofMinSize(2).ofMaxSize(3).map(l -> Filter.or(l.toArray(Filter[]::new))),
        leaf.map(Filter::not));
  }
}
