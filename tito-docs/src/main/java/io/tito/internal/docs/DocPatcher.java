package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.docs.DocPatch;
import java.util.LinkedHashMap;
import java.util.Map;

/** Applies a {@link DocPatch} to a copy of a document body, checking every path. Stateless. */
public final class DocPatcher {

  private DocPatcher() {}

  /** The patched copy of {@code body}; the original is not changed. */
  public static ObjectNode apply(ObjectNode body, DocPatch patch, ObjectMapper mapper,
      String collection, String id) {
    ObjectNode doc = body.deepCopy();
    for (DocPatch.Op op : patch.ops()) {
      ObjectNode parent = JsonPaths.parent(doc, op.path());
      String leaf = JsonPaths.leaf(op.path());
      boolean exists = parent != null && parent.has(leaf);
      boolean ok = switch (op.kind()) {
        case SET, REMOVE -> exists;
        case ADD -> parent != null;
      };
      if (!ok) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("collection", collection);
        ctx.put("id", id);
        ctx.put("path", op.path());
        ctx.put("op", op.kind().name());
        throw new InvalidArgumentException(op.kind() == DocPatch.Kind.ADD
            ? "patch path has no parent object in the document"
            : "patch path names no field of the document", ctx);
      }
      if (op.kind() == DocPatch.Kind.REMOVE) {
        parent.remove(leaf);
      } else {
        JsonNode v = op.value() instanceof JsonNode j ? j.deepCopy()
            : mapper.valueToTree(op.value());
        parent.set(leaf, v);
      }
    }
    return doc;
  }
}
