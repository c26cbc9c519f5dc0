package io.tito.relay;

import io.tito.pubsub.Event;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers a relayed message carries: the event's own headers unchanged (trace context such
 * as {@code traceparent}, causation and correlation ids, whatever the publisher set), then
 * Tito's own under the {@code tito-} prefix, which win over an event header of the same name.
 * Stateless.
 */
public final class RelayHeaders {

  /** The event id ({@link Event#id()}, a UUID): the key brokers and consumers deduplicate by. */
  public static final String EVENT_ID = "tito-event-id";
  /** The Tito topic the event was published to. */
  public static final String TOPIC = "tito-topic";
  /** The partition key ({@link Event#key()}); also the broker's key where it has one. */
  public static final String KEY = "tito-key";
  /** The Tito partition (decimal). */
  public static final String PARTITION = "tito-partition";
  /** The position in the Tito partition log (decimal): increases per key. */
  public static final String POSITION = "tito-position";
  /** When the event was published (ISO-8601 instant, the publisher's clock). */
  public static final String PUBLISHED_AT = "tito-published-at";

  private RelayHeaders() {}

  /** The headers of the message relaying {@code event}, in a new mutable map. */
  public static Map<String, String> of(Event event) {
    Map<String, String> headers = new LinkedHashMap<>(event.headers());
    headers.put(EVENT_ID, event.id().toString());
    headers.put(TOPIC, event.topic());
    headers.put(KEY, event.key());
    headers.put(PARTITION, Integer.toString(event.partition()));
    headers.put(POSITION, Long.toString(event.position()));
    headers.put(PUBLISHED_AT, event.publishedAt().toString());
    return headers;
  }
}
