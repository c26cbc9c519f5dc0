package io.tito.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tito.InvalidArgumentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default {@link Codec}: Jackson JSON through an {@link ObjectMapper}. Records and ordinary
 * bean classes work as Jackson maps them. The default mapper ignores unknown properties (so a
 * field removed from a class does not break reading older records); pass your own mapper to
 * register modules (for example {@code jackson-datatype-jsr310} for {@code java.time} fields).
 *
 * <p>Also the codec {@link ModelStore#patch} needs: patches are applied to the JSON tree.
 *
 * <p>Thread-safe (an {@code ObjectMapper} is, once configured).
 */
public final class JsonCodec<T> implements Codec<T> {

  private final Class<T> type;
  private final ObjectMapper mapper;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonCodec(Class<T> type, ObjectMapper mapper) {
    if (type == null || mapper == null) {
      throw new InvalidArgumentException("json codec needs a type and a mapper", Map.of());
    }
    this.type = type;
    this.mapper = mapper;
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writer();
  }

  /** A codec with a default mapper (unknown properties ignored). */
  public static <T> JsonCodec<T> of(Class<T> type) {
    return new JsonCodec<>(type, new ObjectMapper()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
  }

  /** A codec with the caller's mapper, which must not be reconfigured afterwards. */
  public static <T> JsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
    return new JsonCodec<>(type, mapper);
  }

  /** The mapper in use. */
  public ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public byte[] encode(T value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new InvalidArgumentException("value cannot be encoded as JSON",
          Map.of("type", type.getName(), "error", String.valueOf(e.getMessage())), e);
    }
  }

  @Override
  public T decode(byte[] bytes) {
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new InvalidArgumentException("stored JSON cannot be decoded",
          Map.of("type", type.getName(), "error", String.valueOf(e.getMessage())), e);
    }
  }

  /**
   * As {@link #decode} of each, with one JSON parser for all: Jackson's set-up per parse (parser,
   * I/O context, buffers, symbol table) is most of the allocation of decoding a small record. The
   * values are laid end to end, one space after each, and read as a sequence of root values;
   * each must start at its own first byte and end at its own last byte (or on the space after
   * it). Anything else (an empty or space-framed value, a value that is not one JSON value, a
   * parse error) decodes every value alone with {@link #decode}, so the answer and the errors
   * are those of {@link #decode}.
   */
  @Override
  public List<T> decodeAll(List<byte[]> all) {
    if (all.size() < 2) {
      return Codec.super.decodeAll(all);
    }
    int total = 0;
    for (byte[] b : all) {
      if (b.length == 0 || isSpace(b[0]) || isSpace(b[b.length - 1])) {
        return Codec.super.decodeAll(all);
      }
      total += b.length + 1;
    }
    List<T> out = decodeJoined(all, total);
    return out != null ? out : Codec.super.decodeAll(all);
  }

  /** The values of {@code all} read from one buffer (see {@link #decodeAll}), or null. */
  private List<T> decodeJoined(List<byte[]> all, int total) {
    byte[] joined = new byte[total];
    int at = 0;
    for (byte[] b : all) {
      System.arraycopy(b, 0, joined, at, b.length);
      at += b.length;
      joined[at++] = ' ';
    }
    List<T> out = new ArrayList<>(all.size());
    try (JsonParser p = reader.createParser(joined)) {
      int start = 0;
      for (byte[] b : all) {
        int end = start + b.length;
        if (p.nextToken() == null || p.currentTokenLocation().getByteOffset() != start) {
          return null;
        }
        T value = reader.readValue(p);
        long stop = p.currentLocation().getByteOffset();
        if (stop != end && stop != end + 1) {
          return null;
        }
        out.add(value);
        start = end + 1;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** The JSON tree of stored bytes. */
  public JsonNode toTree(byte[] bytes) {
    try {
      return mapper.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidArgumentException("stored JSON cannot be parsed",
          Map.of("type", type.getName(), "error", String.valueOf(e.getMessage())), e);
    }
  }

  /** The value of a JSON tree (after a patch). */
  public T fromTree(JsonNode tree) {
    try {
      return mapper.treeToValue(tree, type);
    } catch (IOException e) {
      throw new InvalidArgumentException("patched JSON does not map to the model type",
          Map.of("type", type.getName(), "error", String.valueOf(e.getMessage())), e);
    }
  }
}
