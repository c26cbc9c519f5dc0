package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.data.Codec;
import io.tito.docs.Filter;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A filter tested on the {@link Projection} of a stored document (only the subtrees at the
 * filter's paths, read from the encoded bytes) answers as on the whole body, for random nested
 * documents (objects, arrays, every scalar kind, JSON null) and random filters over nested,
 * overlapping paths; the lazily decoded document keeps its id and body.
 */
class ProjectionPropertiesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Codec<StoredDoc> CODEC = StoredDoc.codec(MAPPER);
  private static final List<String> PATHS = List.of("a", "b", "c", "a.b", "a.c", "b.a", "a.b.c");

  @Property(tries = 1000)
  void projectionAnswersAsTheWholeBody(@ForAll("bodies") ObjectNode body,
      @ForAll("filters") Filter filter) {
    byte[] bytes = CODEC.encode(new StoredDoc("doc-1", body));
    StoredDoc lazy = CODEC.decode(bytes);
    assertThat(lazy.matches(filter, Projection.of(filter)))
        .as("%s on %s", filter, body).isEqualTo(filter.test(body));
    assertThat(lazy.id()).isEqualTo("doc-1");
    assertThat(lazy.body()).isEqualTo(body);
    assertThat(CODEC.decode(bytes).matches(filter, null)).isEqualTo(filter.test(body));
  }

  @Provide
  Arbitrary<ObjectNode> bodies() {
    return object(3);
  }

  private static Arbitrary<ObjectNode> object(int depth) {
    Arbitrary<JsonNode> value = value(depth - 1);
    return Combinators.combine(Arbitraries.of("a", "b", "c", "d"), value).as(Field::new)
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
        Arbitraries.of("x", "xy", "y").map(s -> (JsonNode) f.textNode(s)),
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
        Arbitraries.of("x", "xy", "y").map(s -> s), Arbitraries.of(true, false).map(b -> b));
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
