package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.data.Codec;
import io.tito.docs.Filter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A {@link ByteMatcher} answers as the filter on the whole body, for random nested documents
 * (duplicate fields, arrays, every scalar kind, strings with escapes and non-ASCII characters,
 * compact, indented and ASCII-escaped encodings) and random and/or/not trees of string
 * {@code eq}, {@code ne} and {@code contains} over nested paths; where it cannot compare (an
 * escape) it throws and the lazily decoded document still answers right.
 */
class ByteMatcherPropertiesTest {

  private static final Codec<StoredDoc> PLAIN = StoredDoc.codec(new ObjectMapper());
  private static final Codec<StoredDoc> ESCAPING = StoredDoc.codec(JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT).enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .build());
  /** No path is a prefix of another: every filter over them compiles. */
  private static final List<String> PATHS = List.of("a", "b.a", "b.c", "c.b.c", "é", "q\"t.a");
  private static final List<String> TEXTS = List.of("x", "xy", "", "é\"\\\n\u2028",
      "\uD83D\uDE00", "x\"");

  @Property(tries = 2000)
  void matcherAnswersAsTheWholeBody(@ForAll("bodies") ObjectNode body,
      @ForAll("filters") Filter filter, @ForAll boolean escaping) {
    Codec<StoredDoc> codec = escaping ? ESCAPING : PLAIN;
    byte[] bytes = codec.encode(new StoredDoc("doc-1", body));
    ByteMatcher m = ByteMatcher.of(filter);
    assertThat(m).as("compiled: %s", filter).isNotNull();
    boolean want = filter.test(body);
    String outcome;
    try {
      assertThat(m.test(bytes)).as("%s on %s", filter, body).isEqualTo(want);
      outcome = "answered";
    } catch (IllegalStateException e) {
      assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\\");
      outcome = "escape: projection";
    }
    Statistics.collect(outcome);
    StoredDoc lazy = codec.decode(bytes);
    assertThat(lazy.matches(filter, Projection.of(filter), m)).isEqualTo(want);
    assertThat(lazy.body()).isEqualTo(body);
  }

  @Example
  void onlyStringEqualityAndContainsOnDisjointPathsCompile() {
    assertThat(ByteMatcher.of(Filter.eq("a", 1))).isNull();
    assertThat(ByteMatcher.of(Filter.exists("a"))).isNull();
    assertThat(ByteMatcher.of(Filter.or(Filter.eq("a", "x"), Filter.gt("b", "y")))).isNull();
    assertThat(ByteMatcher.of(Filter.and(Filter.eq("a", "x"), Filter.eq("a.b", "y")))).isNull();
    assertThat(ByteMatcher.of(Filter.or(Filter.eq("a", "x"), Filter.contains("tags", "t"))))
        .isNotNull();
  }

  @Example
  void aLaterDuplicateFieldReplacesTheEarlierOne() {
    byte[] bytes = "{\"i\":\"x\",\"d\":{\"a\":\"x\",\"b\":{\"a\":\"y\"},\"a\":\"z\",\"b\":1}}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(ByteMatcher.of(Filter.eq("a", "x")).test(bytes)).isFalse();
    assertThat(ByteMatcher.of(Filter.eq("a", "z")).test(bytes)).isTrue();
    assertThat(ByteMatcher.of(Filter.eq("b.a", "y")).test(bytes)).isFalse();
    assertThat(ByteMatcher.of(Filter.ne("b.a", "y")).test(bytes)).isTrue();
  }

  @Example
  void anEscapeInACompareIsLeftToTheProjection() {
    byte[] bytes = "{\"i\":\"x\",\"d\":{\"a\":\"x\\\"\",\"t\":[\"\\u0078\"]}}"
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ByteMatcher.of(Filter.eq("a", "x\"")).test(bytes))
        .isInstanceOf(IllegalStateException.class);
    assertThat(ByteMatcher.of(Filter.eq("a", "y")).test(bytes)).as("differs before it")
        .isFalse();
    assertThatThrownBy(() -> ByteMatcher.of(Filter.contains("t", "x")).test(bytes))
        .isInstanceOf(IllegalStateException.class);
  }

  @Provide
  Arbitrary<ObjectNode> bodies() {
    Arbitrary<ObjectNode> random = ProjectionPropertiesTest.object(3);
    // Also bodies holding the filters' paths, each a text or an array of texts (and a random
    // value elsewhere), so that matches and near misses ("x" and "xy") are frequent.
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<com.fasterxml.jackson.databind.JsonNode> text = Arbitraries.of(TEXTS)
        .map(f::textNode);
    Arbitrary<com.fasterxml.jackson.databind.JsonNode> held = Arbitraries.oneOf(text,
        text.list().ofMaxSize(3).map(l -> f.arrayNode().addAll(l)));
    Arbitrary<ObjectNode> aimed = Combinators.combine(held.list().ofSize(6), random)
        .as((v, extra) -> {
          ObjectNode o = f.objectNode();
          o.set("a", v.get(0));
          ObjectNode b = o.putObject("b");
          b.set("a", v.get(1));
          b.set("c", v.get(2));
          o.putObject("c").putObject("b").set("c", v.get(3));
          o.set("é", v.get(4));
          o.putObject("q\"t").set("a", v.get(5));
          o.set("x", extra);
          return o;
        });
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random),
        net.jqwik.api.Tuple.of(3, aimed));
  }

  @Provide
  Arbitrary<Filter> filters() {
    Arbitrary<String> path = Arbitraries.of(PATHS);
    Arbitrary<String> v = Arbitraries.of(TEXTS);
    Arbitrary<Filter> leaf = Arbitraries.oneOf(
        Combinators.combine(path, v).as(Filter::eq),
        Combinators.combine(path, v).as(Filter::ne),
        Combinators.combine(path, v).as(Filter::contains));
    return Arbitraries.oneOf(leaf,
        leaf.list().ofMinSize(2).ofMaxSize(3).map(l -> Filter.and(l.toArray(Filter[]::new))),
        leaf.list().ofMinSize(2).ofMaxSize(3).map(l -> Filter.or(l.toArray(Filter[]::new))),
        leaf.map(Filter::not),
        leaf.list().ofMinSize(2).ofMaxSize(2).map(l -> Filter.not(Filter.or(l.get(0),
            Filter.and(l.get(1), l.get(0))))));
  }
}
