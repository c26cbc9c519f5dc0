package io.tito.internal.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.admin.EventConsumerInfo;
import io.tito.events.AllSlice;
import io.tito.events.EventDeadLetter;
import io.tito.events.ProjectionStatus;
import io.tito.events.RecordedEvent;
import io.tito.events.StreamInfo;
import io.tito.events.StreamSlice;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of the event store's admin objects, shared by the CLI's {@code --json} and the
 * HTTP API (see {@link Views}): positions as {@code "<commit version>.<order>"} strings, event
 * payloads as JSON under {@code data}.
 */
public final class EventViews {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventViews() {}

  public static Map<String, Object> event(RecordedEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("streamId", e.streamId());
    m.put("version", e.version());
    m.put("position", e.position() == null ? null : e.position().toString());
    m.put("eventId", e.eventId().toString());
    m.put("type", e.type());
    m.put("createdAt", e.createdAt().toString());
    m.put("causationId", e.causationId());
    m.put("correlationId", e.correlationId());
    m.put("headers", e.headers());
    try {
      m.put("data", JSON.readTree(e.payload()));
    } catch (IOException ex) {
      m.put("data", e.json()); // the store checks payloads are JSON; shown as text if not
    }
    return m;
  }

  public static Map<String, Object> streamInfo(StreamInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("streamId", i.streamId());
    m.put("version", i.version());
    m.put("truncatedBefore", i.truncatedBefore());
    m.put("deleted", i.deleted());
    return m;
  }

  public static Map<String, Object> stream(StreamSlice s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("streamId", s.streamId());
    m.put("streamVersion", s.streamVersion());
    m.put("nextVersion", s.nextVersion());
    m.put("isEnd", s.isEnd());
    m.put("events", Views.list(s.events(), EventViews::event));
    return m;
  }

  public static Map<String, Object> all(AllSlice s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lastPosition", s.lastPosition().toString());
    m.put("isEnd", s.isEnd());
    m.put("events", Views.list(s.events(), EventViews::event));
    return m;
  }

  public static Map<String, Object> consumer(EventConsumerInfo c) {
    ProjectionStatus s = c.status();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
    m.put("name", s.name());
    m.put("position", s.position().toString());
    m.put("head", s.head().toString());
    m.put("lag", s.lag());
    m.put("paused", s.paused());
    m.put("attempts", s.attempts());
    m.put("lastError", s.lastError());
    m.put("deadLetters", c.deadLetters());
    m.put("registered", c.registered());
    return m;
  }

  public static Map<String, Object> deadLetter(EventDeadLetter d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id().toString());
    m.put("attempts", d.attempts());
    m.put("error", d.error());
    m.put("deadAt", d.deadAt().toString());
    m.put("event", d.event() == null ? null : event(d.event()));
    return m;
  }
}
