package io.tito.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tito.admin.GroupInfo;
import io.tito.admin.ModelInfo;
import io.tito.admin.TopicInfo;
import io.tito.data.IndexBuildProgress;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionStatus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the admin objects, shared by the CLI's {@code --json} and the HTTP API so
 * that scripts see one format: plain maps (names as in the records, times as ISO-8601 strings,
 * payloads as UTF-8 text or, when not valid UTF-8, base64 under {@code payloadBase64}).
 */
public final class Views {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Views() {}

  /** {@code value} (maps, lists, strings, numbers, booleans, nulls) as indented JSON. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not serialisable: " + value.getClass(), e);
    }
  }

  /** Parses a JSON object (empty or blank text: an empty map). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonProcessingException {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    Object v = JSON.readValue(text, Object.class);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("a JSON object is expected");
    }
    return (Map<String, Object>) v;
  }

  public static Map<String, Object> topic(TopicInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("partitions", t.partitions());
    m.put("retention", t.retention().toString());
    m.put("events", t.events());
    m.put("groups", t.groups());
    return m;
  }

  public static Map<String, Object> group(GroupInfo g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("topic", g.topic());
    m.put("group", g.group());
    m.put("lag", g.lag());
    m.put("deadLetters", g.deadLetters());
    m.put("members", g.members());
    List<Object> ps = new ArrayList<>();
    for (PartitionStatus p : g.partitions()) {
      ps.add(partition(p));
    }
    m.put("partitions", ps);
    return m;
  }

  public static Map<String, Object> partition(PartitionStatus p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partition", p.partition());
    m.put("head", p.head());
    m.put("checkpoint", p.checkpoint());
    m.put("lag", p.lag());
    m.put("requeued", p.requeued());
    m.put("attempts", p.attempts());
    m.put("lastError", p.lastError());
    m.put("leaseOwner", p.leaseOwner());
    m.put("epoch", p.epoch());
    m.put("leaseExpiry", p.leaseExpiry() == null ? null : p.leaseExpiry().toString());
    return m;
  }

  public static Map<String, Object> deadLetter(DeadLetter d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id().toString());
    m.put("topic", d.topic());
    m.put("group", d.group());
    m.put("partition", d.partition());
    m.put("position", d.position());
    m.put("attempts", d.attempts());
    m.put("error", d.error());
    m.put("deadAt", d.deadAt().toString());
    m.put("event", d.event() == null ? null : event(d.event()));
    return m;
  }

  public static Map<String, Object> event(Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id().toString());
    m.put("topic", e.topic());
    m.put("partition", e.partition());
    m.put("position", e.position());
    m.put("key", e.key());
    m.put("headers", e.headers());
    m.put("publishedAt", e.publishedAt().toString());
    m.put("deliverAt", e.deliverAt() == null ? null : e.deliverAt().toString());
    String text = utf8(e.payload());
    if (text != null) {
      m.put("payload", text);
    } else {
      m.put("payloadBase64", Base64.getEncoder().encodeToString(e.payload()));
    }
    return m;
  }

  public static Map<String, Object> model(ModelInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", i.table());
    m.put("registered", i.registered());
    Map<String, Object> ix = new LinkedHashMap<>();
    i.indexes().forEach((k, v) -> ix.put(k, v.name()));
    m.put("indexes", ix);
    return m;
  }

  public static Map<String, Object> build(IndexBuildProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", p.table());
    m.put("index", p.index());
    m.put("recordsScanned", p.recordsScanned());
    m.put("batches", p.batches());
    m.put("state", p.state().name());
    return m;
  }

  public static <T> List<Object> list(List<T> items, java.util.function.Function<T, Object> view) {
    List<Object> out = new ArrayList<>();
    for (T t : items) {
      out.add(view.apply(t));
    }
    return out;
  }

  /** The payload as text if it is valid UTF-8, else null. */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
