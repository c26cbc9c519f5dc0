package io.tito.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.StorageException;
import io.tito.backup.BackupManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Manifest JSON: written with every field in a fixed order; the checksum is the SHA-256 of the
 * JSON of every other field, so reading recomputes it and rejects any edit.
 */
public final class ManifestCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestCodec() {}

  /** The manifest with its checksum computed (any checksum given is replaced). */
  public static BackupManifest sealed(BackupManifest m) {
    String sum = checksumOf(fields(m));
    return new BackupManifest(m.formatVersion(), m.id(), m.set(), m.kind(), m.parent(), m.lineage(), m.engine(),
        m.versioned(), m.everyCommit(), m.fromVersion(), m.toVersion(), m.toTimeMillis(), m.startedAt(),
        m.finishedAt(), m.entries(), m.rawBytes(), m.storedBytes(), m.chunks(), sum);
  }

  /** The JSON bytes of a sealed manifest. */
  public static byte[] write(BackupManifest m) {
    ObjectNode node = fields(m);
    node.put("checksum", m.checksum());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("manifest cannot be written as JSON", e);
    }
  }

  /**
   * Parses and checks a manifest.
   *
   * @throws StorageException if it is not a manifest, is of a newer format, or its checksum does
   *     not match its content
   */
  public static BackupManifest read(String backupId, byte[] bytes) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw corrupt(backupId, "manifest is not valid JSON: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode obj) || !obj.hasNonNull("checksum") || !obj.hasNonNull("formatVersion")) {
      throw corrupt(backupId, "manifest lacks its checksum or format version");
    }
    int format = obj.get("formatVersion").asInt();
    if (format > BackupManifest.FORMAT_VERSION) {
      throw new StorageException("backup is of a newer format than this release reads",
          Map.of("backup", backupId, "formatVersion", format, "supported", BackupManifest.FORMAT_VERSION), null);
    }
    String stored = obj.get("checksum").asText();
    ObjectNode content = obj.deepCopy();
    content.remove("checksum");
    String actual = checksumOf(content);
    if (!actual.equals(stored)) {
      throw corrupt(backupId, "manifest checksum does not match its content");
    }
    try {
      List<BackupManifest.Chunk> chunks = new ArrayList<>();
      for (JsonNode c : obj.withArray("chunks")) {
        chunks.add(new BackupManifest.Chunk(text(c, "name"), c.get("entries").asLong(), c.get("rawBytes").asLong(),
            c.get("storedBytes").asLong(), text(c, "sha256"), text(c, "first"), text(c, "last")));
      }
      String id = text(obj, "id");
      if (!backupId.equals(id)) {
        throw corrupt(backupId, "manifest names another backup: " + id);
      }
      return new BackupManifest(format, id, text(obj, "set"),
          BackupManifest.Kind.valueOf(text(obj, "kind")), text(obj, "parent"), text(obj, "lineage"),
          text(obj, "engine"), obj.get("versioned").asBoolean(), obj.get("everyCommit").asBoolean(),
          obj.get("fromVersion").asLong(), obj.get("toVersion").asLong(), obj.get("toTimeMillis").asLong(),
          Instant.parse(text(obj, "startedAt")), Instant.parse(text(obj, "finishedAt")),
          obj.get("entries").asLong(), obj.get("rawBytes").asLong(), obj.get("storedBytes").asLong(),
          chunks, stored);
    } catch (RuntimeException e) {
      if (e instanceof StorageException s) {
        throw s;
      }
      throw corrupt(backupId, "manifest is missing a field or has a wrong one: " + e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static ObjectNode fields(BackupManifest m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("formatVersion", m.formatVersion());
    n.put("id", m.id());
    n.put("set", m.set());
    n.put("kind", m.kind().name());
    n.put("parent", m.parent());
    n.put("lineage", m.lineage());
    n.put("engine", m.engine());
    n.put("versioned", m.versioned());
    n.put("everyCommit", m.everyCommit());
    n.put("fromVersion", m.fromVersion());
    n.put("toVersion", m.toVersion());
    n.put("toTimeMillis", m.toTimeMillis());
    n.put("startedAt", m.startedAt().toString());
    n.put("finishedAt", m.finishedAt().toString());
    n.put("entries", m.entries());
    n.put("rawBytes", m.rawBytes());
    n.put("storedBytes", m.storedBytes());
    ArrayNode chunks = n.putArray("chunks");
    for (BackupManifest.Chunk c : m.chunks()) {
      ObjectNode cn = chunks.addObject();
      cn.put("name", c.name());
      cn.put("entries", c.entries());
      cn.put("rawBytes", c.rawBytes());
      cn.put("storedBytes", c.storedBytes());
      cn.put("sha256", c.sha256());
      cn.put("first", c.first());
      cn.put("last", c.last());
    }
    return n;
  }

  private static String checksumOf(ObjectNode content) {
    try {
      return Hashing.hex(Hashing.sha256().digest(JSON.writeValueAsString(content).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("manifest cannot be written as JSON", e);
    }
  }

  /** A backup that fails a check: not retriable. */
  public static StorageException corrupt(String backupId, String what) {
    return new StorageException("backup is damaged: " + what, Map.of("backup", backupId), null);
  }
}
