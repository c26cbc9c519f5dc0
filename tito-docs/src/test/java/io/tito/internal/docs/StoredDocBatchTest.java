package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.data.Codec;
import io.tito.docs.Filter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Documents decoded together (a page) are parsed with one JSON parser on the first parse of one
 * of them, to the documents parsing alone gives; the ones a filter dropped are left out; a
 * document that does not parse cleanly leaves itself and the rest to parse alone, errors included.
 */
class StoredDocBatchTest {

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

  private final CountingFactory factory = new CountingFactory();
  private final ObjectMapper mapper = new ObjectMapper(factory);
  private final Codec<StoredDoc> codec = StoredDoc.codec(mapper);

  private List<byte[]> page(int n) throws IOException {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode body = (ObjectNode) mapper.readTree("{\"n\":" + i + ",\"name\":\"d \\\"" + i
          + "\\\" é\",\"score\":" + (i / 10.0) + ",\"tags\":[\"t" + i % 3 + "\"],\"a\":{\"b\":null}}");
      all.add(codec.encode(new StoredDoc("id" + i, body)));
    }
    return all;
  }

  private List<StoredDoc> alone(List<byte[]> all) {
    List<StoredDoc> out = new ArrayList<>();
    for (byte[] b : all) {
      StoredDoc d = codec.decode(b);
      d.body();
      out.add(d);
    }
    return out;
  }

  @Test
  void aPageIsParsedWithOneParserToWhatParsingAloneGives() throws IOException {
    List<byte[]> all = page(20);
    List<StoredDoc> expected = alone(all);
    factory.parsers.set(0);
    List<StoredDoc> docs = codec.decodeAll(all);
    assertThat(factory.parsers.get()).isZero(); // lazy until a body is asked for
    for (int i = 0; i < docs.size(); i++) {
      assertThat(docs.get(i).body()).isEqualTo(expected.get(i).body());
      assertThat(docs.get(i).id()).isEqualTo("id" + i);
    }
    assertThat(factory.parsers.get()).isEqualTo(1);
  }

  @Test
  void documentsAFilterDroppedAreLeftOut() throws IOException {
    List<byte[]> all = page(10);
    List<StoredDoc> docs = codec.decodeAll(all);
    Filter even = Filter.in("n", 0, 2, 4, 6, 8);
    Projection p = Projection.of(even);
    List<StoredDoc> kept = new ArrayList<>();
    for (StoredDoc d : docs) {
      if (d.matches(even, p, null)) {
        kept.add(d);
      }
    }
    assertThat(kept).hasSize(5);
    factory.parsers.set(0);
    for (StoredDoc d : kept) {
      assertThat(d.body().get("n").intValue() % 2).isZero();
    }
    assertThat(factory.parsers.get()).isEqualTo(1);
    assertThat(docs.get(1).body().get("n").intValue()).isEqualTo(1); // dropped: parsed alone
    assertThat(factory.parsers.get()).isEqualTo(2);
  }

  @Test
  void aDocumentThatDoesNotParseCleanlyLeavesItselfAndTheRestToParseAlone() throws IOException {
    List<byte[]> all = new ArrayList<>(page(4));
    all.add(2, "{\"i\":\"x\",\"d\":{\"n\":1}} {\"i\":\"y\"}".getBytes(StandardCharsets.UTF_8));
    all.add(3, "{\"i\":\"bad\",\"d\":{\"n\":".getBytes(StandardCharsets.UTF_8));
    all.add(4, "{\"i\":\"scalar\",\"d\":3}".getBytes(StandardCharsets.UTF_8));
    List<StoredDoc> docs = codec.decodeAll(all);
    assertThat(docs.get(0).body().get("n").intValue()).isEqualTo(0);
    assertThat(docs.get(1).body().get("n").intValue()).isEqualTo(1);
    // Trailing tokens: parsing alone reads the first value, as before.
    assertThat(docs.get(2).id()).isEqualTo("x");
    assertThat(docs.get(2).body().get("n").intValue()).isEqualTo(1);
    assertThatThrownBy(() -> docs.get(3).body()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> docs.get(4).body()).isInstanceOf(ClassCastException.class);
    assertThat(docs.get(5).body().get("n").intValue()).isEqualTo(2);
    assertThat(docs.get(6).body().get("n").intValue()).isEqualTo(3);
    List<StoredDoc> expected = alone(List.of(all.get(0), all.get(1), all.get(2), all.get(5),
        all.get(6)));
    assertThat(List.of(docs.get(0), docs.get(1), docs.get(2), docs.get(5), docs.get(6)))
        .isEqualTo(expected);
  }
}
