package io.tito.internal.docs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.data.Codec;
import io.tito.docs.Filter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A document as stored by tito-data: its id and its JSON body (an object). A document read from
 * the store keeps its encoded bytes and parses them on first use of {@link #id()} or
 * {@link #body()}; {@link #matches} can test a filter on a {@link Projection} of the bytes (only
 * the filter's paths) so that documents a residual filter drops are never fully decoded.
 * Documents decoded together ({@link Codec#decodeAll}: a page's) are parsed together, with one
 * JSON parser, on the first parse of one of them (see {@link Batch}); those a filter dropped are
 * left out. Thread-safe (the parse is idempotent; a race parses twice).
 */
public final class StoredDoc {

  private final byte[] bytes;
  private final ObjectReader reader;
  private volatile String id;
  private volatile ObjectNode body;
  /** The last projection read by {@link #projected} and its result (null: none yet). */
  private volatile Projected projected;
  /** The documents decoded with this one, parsed together (null: parsed alone). */
  private volatile Batch batch;
  /** Whether {@link #matches} said no: a batch parse leaves this document out. */
  private volatile boolean dropped;

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
    boolean m = test(filter, projection, matcher);
    if (!m) {
      dropped = true;
    }
    return m;
  }

  private boolean test(Filter filter, Projection projection, ByteMatcher matcher) {
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
    Batch b = batch;
    if (b != null) {
      b.parse();
      if (body != null) {
        return;
      }
    }
    try {
      set(reader.readTree(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("stored document is not readable JSON", e);
    }
  }

  private void set(JsonNode n) {
    id = n.get("i").textValue();
    body = (ObjectNode) n.get("d");
  }

  /**
   * Documents decoded together, parsed together on the first parse of one of them: the bytes of
   * those not parsed yet and not {@link #dropped} are laid end to end, one space after each, and
   * read as a sequence of root values with one parser (Jackson's set-up per parse is a large part
   * of parsing a small document). Each value must start on its document's first byte and end on
   * its last (or on the space after it), else that document and the rest are left to parse alone,
   * which gives the answer or the error parsing alone gives. Parses at most once; a document whose
   * batch another thread is parsing parses alone (the parse is idempotent).
   */
  static final class Batch {
    private final List<StoredDoc> docs;
    private final ObjectReader reader;
    private final AtomicBoolean done = new AtomicBoolean();

    Batch(List<StoredDoc> docs, ObjectReader reader) {
      this.docs = docs;
      this.reader = reader;
    }

    /** Parses once; a caller that finds it begun (or done) parses its own document alone. */
    void parse() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      for (StoredDoc d : docs) {
        d.batch = null; // a document kept after its page does not keep the page
      }
      List<StoredDoc> unparsed = new ArrayList<>(docs.size());
      int total = 0;
      for (StoredDoc d : docs) {
        byte[] b = d.bytes;
        if (d.body == null && !d.dropped && b.length > 0 && !space(b[0])
            && !space(b[b.length - 1])) {
          unparsed.add(d);
          total += b.length + 1;
        }
      }
      if (unparsed.size() < 2) {
        return;
      }
      byte[] joined = new byte[total];
      int at = 0;
      for (StoredDoc d : unparsed) {
        System.arraycopy(d.bytes, 0, joined, at, d.bytes.length);
        at += d.bytes.length;
        joined[at++] = ' ';
      }
      try (JsonParser p = reader.createParser(joined)) {
        int start = 0;
        for (StoredDoc d : unparsed) {
          int end = start + d.bytes.length;
          if (p.nextToken() == null || p.currentTokenLocation().getByteOffset() != start) {
            return;
          }
          JsonNode n = reader.readValue(p);
          long stop = p.currentLocation().getByteOffset();
          if (stop != end && stop != end + 1 || n.get("i") == null
              || !(n.get("d") instanceof ObjectNode)) {
            return; // this one, and the rest, parse alone
          }
          d.set(n);
          start = end + 1;
        }
      } catch (IOException | RuntimeException e) {
        // the documents not parsed yet parse alone, with parsing alone's answer or error
      }
    }

    private static boolean space(byte b) {
      return b == ' ' || b == '\t' || b == '\n' || b == '\r';
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

      @Override
      public List<StoredDoc> decodeAll(List<byte[]> all) {
        List<StoredDoc> docs = new ArrayList<>(all.size());
        for (byte[] b : all) {
          docs.add(new StoredDoc(b, reader));
        }
        if (docs.size() > 1) {
          Batch batch = new Batch(docs, reader);
          for (StoredDoc d : docs) {
            d.batch = batch;
          }
        }
        return docs;
      }
    };
  }
}
