package io.tito.internal.pubsub;

import io.tito.pubsub.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups fetched log events into batches for a batch handler, and remembers which positions were
 * in a failed batch (those go on one at a time, so the failing event is retried and counted on its
 * own). Not thread-safe: one runner uses it; a fresh runner that takes over gets a {@link #copy}.
 */
final class Batcher {

  private final String topic;
  private final int partition;
  /** Log positions up to here were in a failed batch: hand them over one at a time. */
  private long singleUntil;

  Batcher(String topic, int partition, long singleUntil) {
    this.topic = topic;
    this.partition = partition;
    this.singleUntil = singleUntil;
  }

  /**
   * The decodable log events from {@code i} on that have not been part of a failed batch: stops
   * at the first requeued entry, the first position of a failed batch, or an undecodable event.
   */
  List<Event> batchAt(List<Item> items, int i) {
    return batchAt(items, i, Integer.MAX_VALUE);
  }

  /** As {@link #batchAt(List, int)}, at most {@code max} events (a batch holds up to the fetch size). */
  List<Event> batchAt(List<Item> items, int i, int max) {
    List<Event> out = new ArrayList<>();
    for (int j = i; j < items.size() && out.size() < max; j++) {
      Item item = items.get(j);
      if (item.requeued() || item.position() <= singleUntil) {
        break;
      }
      try {
        out.add(EventCodec.decode(topic, partition, item.position(), item.bytes()));
      } catch (RuntimeException e) {
        break;
      }
    }
    return out;
  }

  /** The batch {@code items} failed (or timed out): its events go on one at a time. */
  void failed(List<Item> items) {
    singleUntil = Math.max(singleUntil, items.get(items.size() - 1).position());
  }

  /** A copy for a fresh runner taking the partition over. */
  Batcher copy() {
    return new Batcher(topic, partition, singleUntil);
  }
}
