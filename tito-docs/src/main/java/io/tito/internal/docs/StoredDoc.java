package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.data.Codec;
import java.io.IOException;
import java.util.Map;

/** A document as stored by tito-data: its id and its JSON body (an object). */
public record StoredDoc(String id, ObjectNode body) {

  /** The codec: {@code {"i": id, "d": body}} as JSON bytes. */
  public static Codec<StoredDoc> codec(ObjectMapper mapper) {
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
        try {
          JsonNode n = mapper.readTree(bytes);
          return new StoredDoc(n.get("i").textValue(), (ObjectNode) n.get("d"));
        } catch (IOException e) {
          throw new IllegalStateException("stored document is not readable JSON", e);
        }
      }
    };
  }
}
