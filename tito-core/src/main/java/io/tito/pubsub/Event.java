package io.tito.pubsub;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A committed event as consumers see it.
 *
 * <p>{@code (topic, partition, position)} is where it sits in the partition's log: positions are
 * dense, start at 0 and follow commit order. The {@link #id} is stable and unique: use it to
 * deduplicate at-least-once deliveries. Immutable.
 *
 * @param topic topic name
 * @param partition partition of {@link #key}
 * @param position the event's position in the partition log
 * @param id unique id, assigned at publish
 * @param key partition key
 * @param payload body (copied out)
 * @param headers headers
 * @param publishedAt when the publishing transaction ran, by the publisher's clock
 * @param deliverAt the requested earliest delivery time, or null
 */
public record Event(String topic, int partition, long position, UUID id, String key, byte[] payload,
    Map<String, String> headers, Instant publishedAt, Instant deliverAt) {

  /** @throws io.tito.InvalidArgumentException naming a null topic, id, key, payload, headers or publishedAt */
  public Event {
    String missing = topic == null ? "topic" : id == null ? "id" : key == null ? "key"
        : payload == null ? "payload" : headers == null ? "headers" : publishedAt == null
        ? "publishedAt" : null;
    if (missing != null) {
      throw new io.tito.InvalidArgumentException("event field must not be null",
          Map.of("setting", missing));
    }
    payload = payload.clone();
    headers = Map.copyOf(headers);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public String toString() {
    return "Event[" + topic + "/" + partition + "@" + position + " id=" + id + " key=" + key + "]";
  }
}
