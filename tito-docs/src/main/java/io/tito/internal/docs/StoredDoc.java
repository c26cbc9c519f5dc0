package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.data.Codec;
import io.tito.docs.Filter;
import java.io.IOException;
import java.util.Map;

/**
 * A document as stored by tito-data: its id and its JSON body (an object). A document read from
 * the store keeps its encoded bytes and parses them on first use of {@link #id()} or
 * {@link #body()}; {@link #matches} can test a filter on a {@link Projection} of the bytes (only
 * the filter's paths) so that documents a residual filter drops are never fully decoded.
 * Thread-safe (the parse is idempotent; a race parses twice).
 */
public final class StoredDoc {

  private final byte[] bytes;
  private final ObjectReader reader;
  private volatile String id;
  private volatile ObjectNode body;
  /** The last projection read by {@link #projected} and its result (null: none yet). */
  private volatile Projected projected;

  private record Projected(Projection by, ObjectNode body) {}

  /** A document to write. */
  public StoredDoc(String id, ObjectNode body) {
    this.bytes = null;
    this.reader = null;
    this.id = id;
    this.body = body;
  }

  private StoredDoc(byte[] bytes, ObjectReader reader) {
    this.bytes = bytes;
    this.reader = reader;
  }

  /** The document's id. */
  public String id() {
    String i = id;
    if (i == null) {
      parse();
      i = id;
    }
    return i;
  }

  /** The document's body (parsed on first use for a read document). */
  public ObjectNode body() {
    ObjectNode b = body;
    if (b == null) {
      parse();
      b = body;
    }
    return b;
  }

  /**
   * Whether {@code filter} matches this document: tested on the body when it is parsed already,
   * else on {@code projection} of the encoded bytes (the same answer: the projection holds every
   * subtree the filter reads), leaving the body unparsed.
   */
  public boolean matches(Filter filter, Projection projection) {
    return matches(filter, projection, null);
  }

  /**
   * As {@link #matches(Filter, Projection)}, testing {@code matcher} (compiled from
   * {@code filter}; null: none) on the encoded bytes first: the same answer without building a
   * node, unless the bytes hold what it does not compare (then the projection answers).
   */
  public boolean matches(Filter filter, Projection projection, ByteMatcher matcher) {
    ObjectNode b = body;
    if (b != null || bytes == null || projection == null) {
      return filter.test(body());
    }
    if (matcher != null) {
      try {
        return matcher.test(bytes);
      } catch (IllegalStateException e) {
        // an escaped string or unexpected bytes: the projection reads them
      }
    }
    Projection.Result r;
    try {
      r = projection.read(bytes);
    } catch (IllegalStateException e) {
      return filter.test(body()); // JSON only the store's own mapper reads (its features)
    }
    if (id == null) {
      id = r.id();
    }
    return filter.test(r.body());
  }

  /**
   * The body, or for a read document whose body is not parsed yet, {@code projection} of its
   * bytes: the same subtrees at every path the projection holds (see {@link Projection}), so a
   * reader of only those paths (index values of the old version of a document being replaced)
   * sees what the body holds without a full parse. The result is kept for the next call with
   * the same projection.
   */
  public ObjectNode body(Projection projection) {
    ObjectNode b = body;
    if (b != null || bytes == null) {
      return body();
    }
    Projected p = projected;
    if (p != null && p.by() == projection) {
      return p.body();
    }
    Projection.Result r;
    try {
      r = projection.read(bytes);
    } catch (IllegalStateException e) {
      return body(); // JSON only the store's own mapper reads (its features)
    }
    projected = new Projected(projection, r.body());
    return r.body();
  }

  private void parse() {
    try {
      JsonNode n = reader.readTree(bytes);
      id = n.get("i").textValue();
      body = (ObjectNode) n.get("d");
    } catch (IOException e) {
      throw new IllegalStateException("stored document is not readable JSON", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredDoc d && id().equals(d.id()) && body().equals(d.body());
  }

  @Override
  public int hashCode() {
    return id().hashCode() * 31 + body().hashCode();
  }

  @Override
  public String toString() {
    return "StoredDoc[id=" + id() + ", body=" + body() + "]";
  }

  /**
   * The reader of stored documents: {@code mapper}'s, with Jackson's fast double parser (exactly
   * rounded like {@link Double#parseDouble}, fewer instructions), made once per codec so that a
   * parse does not look up the tree type again.
   */
  static ObjectReader reader(ObjectMapper mapper) {
    return mapper.readerFor(JsonNode.class)
        .with(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
  }

  /** The codec: {@code {"i": id, "d": body}} as JSON bytes; decoding is lazy. */
  public static Codec<StoredDoc> codec(ObjectMapper mapper) {
    ObjectReader reader = reader(mapper);
    return new Codec<>() {
      @Override
      public byte[] encode(StoredDoc value) {
        ObjectNode n = mapper.createObjectNode();
        n.put("i", value.id());
        n.set("d", value.body());
        try {
          return mapper.writeValueAsBytes(n);
        } catch (IOException e) {
          throw new InvalidArgumentException("document cannot be encoded",
              Map.of("id", value.id()), e);
        }
      }

      @Override
      public StoredDoc decode(byte[] bytes) {
        return new StoredDoc(bytes, reader);
      }
    };
  }
}
