package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIdentityInfo;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tito.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link JsonCodec#decodeAll}: one parser for many values, the answers and errors of decode. */
class JsonCodecDecodeAllTest {

  record Person(long id, String name, int age) {}

  /** Counts the parsers made over byte arrays. */
  static final class CountingFactory extends JsonFactory {
    final AtomicInteger parsers = new AtomicInteger();

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt)
        throws IOException {
      parsers.incrementAndGet();
      return super._createParser(data, offset, len, ctxt);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> List<T> oneByOne(JsonCodec<T> codec, List<byte[]> all) {
    List<T> out = new ArrayList<>();
    for (byte[] b : all) {
      out.add(codec.decode(b));
    }
    return out;
  }

  @Test
  void aPageOfRecordsIsReadWithOneParser() {
    CountingFactory factory = new CountingFactory();
    JsonCodec<Person> codec = JsonCodec.of(Person.class, new ObjectMapper(factory));
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(codec.encode(new Person(i, "person \"" + i + "\" é", i % 90)));
    }
    List<Person> expected = oneByOne(codec, all);
    factory.parsers.set(0);

    assertThat(codec.decodeAll(all)).isEqualTo(expected);
    assertThat(factory.parsers.get()).isEqualTo(1);
  }

  @Test
  void wrappedRootValuesGetTheAnswersOfDecode() {
    ObjectMapper mapper = new ObjectMapper()
        .enable(SerializationFeature.WRAP_ROOT_VALUE)
        .enable(DeserializationFeature.UNWRAP_ROOT_VALUE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    JsonCodec<Person> codec = JsonCodec.of(Person.class, mapper);
    List<byte[]> all = List.of(codec.encode(new Person(1, "a", 2)),
        codec.encode(new Person(2, "b", 3)));

    assertThat(new String(all.get(0), StandardCharsets.UTF_8)).startsWith("{\"Person\":");
    assertThat(codec.decodeAll(all))
        .containsExactly(new Person(1, "a", 2), new Person(2, "b", 3));
  }

  /** A node whose references are object ids. */
  @JsonIdentityInfo(generator = ObjectIdGenerators.PropertyGenerator.class, property = "id")
  public static final class Node {
    public int id;
    public Node next;
  }

  @Test
  void objectIdsDoNotReachFromOneRecordIntoTheNext() {
    JsonCodec<Node> codec = JsonCodec.of(Node.class);
    byte[] first = utf8("{\"id\":1,\"next\":null}");
    byte[] second = utf8("{\"id\":2,\"next\":1}");

    Node alone = codec.decode(second);
    List<Node> both = codec.decodeAll(List.of(first, second));

    // Read alone, the second record's reference finds no node with id 1; read with the first
    // in one context, it would find the first record's node.
    assertThat(alone.next).isNull();
    assertThat(both.get(1).id).isEqualTo(2);
    assertThat(both.get(1).next).isNull();
  }

  @Test
  void oddValuesGetTheAnswersOfDecode() {
    JsonCodec<Object> codec = JsonCodec.of(Object.class);
    List<byte[]> all = Arrays.asList(utf8("12"), utf8("3.5"), utf8("\"s\""), utf8("true"),
        utf8("null"), utf8("[1,{\"a\":2}]"), utf8("{\"a\":1} {\"b\":2}"), utf8("7"),
        utf8(" {\"lead\":1}"), utf8("{\"trail\":1}\n"), utf8("-0"), utf8("{}"));

    assertThat(codec.decodeAll(all)).isEqualTo(oneByOne(codec, all));
  }

  @Test
  void aValueCannotRunIntoTheNext() {
    JsonCodec<Object> codec = JsonCodec.of(Object.class);
    List<byte[]> all = List.of(utf8("{\"a\":1}"), utf8("\"abc"), utf8("d\""));

    assertThatThrownBy(() -> codec.decode(utf8("\"abc")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> codec.decodeAll(all))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(catchMessage(() -> codec.decode(utf8("\"abc"))));
  }

  @Test
  void anUndecodableValueFailsAsDecodeFailsForTheFirstOne() {
    JsonCodec<Person> codec = JsonCodec.of(Person.class);
    List<byte[]> all = List.of(codec.encode(new Person(1, "a", 2)), utf8("{\"id\":"), utf8(""),
        codec.encode(new Person(2, "b", 3)));

    assertThatThrownBy(() -> codec.decodeAll(all))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(catchMessage(() -> codec.decode(utf8("{\"id\":"))));
    assertThat(codec.decodeAll(List.of())).isEmpty();
    assertThat(codec.decodeAll(List.of(all.get(0)))).containsExactly(new Person(1, "a", 2));
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }
}
