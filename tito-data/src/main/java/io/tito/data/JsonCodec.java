package io.tito.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tito.InvalidArgumentException;
import java.io.IOException;
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
