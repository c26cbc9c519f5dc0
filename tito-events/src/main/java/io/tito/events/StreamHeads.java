package io.tito.events;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream headers this process committed last, so that the next append to a stream can name
 * the header it expects ({@link io.tito.Transaction#expect}) instead of reading it first: on
 * PostgreSQL that append commits in one round trip instead of two. An entry is only a guess: the
 * commit checks it against the snapshot, and an append whose guess was stale (another process
 * appended, deleted or truncated the stream) fails with a conflict and is retried, reading the
 * header. An entry is taken out when used and put back by the commit that wrote the next one,
 * so a failed guess is never made twice. Thread-safe.
 */
final class StreamHeads {

  private final int capacity;
  private final ConcurrentHashMap<String, byte[]> heads = new ConcurrentHashMap<>();

  /** @param capacity the most streams remembered; 0 remembers none */
  StreamHeads(int capacity) {
    this.capacity = capacity;
  }

  /** The stream's last header committed by this process, removed from the cache; null if unknown. */
  byte[] take(String stream) {
    return capacity == 0 ? null : heads.remove(stream);
  }

  /** Remembers {@code header} (its encoded bytes, as committed) as the stream's current one. */
  void put(String stream, byte[] header) {
    if (capacity == 0) {
      return;
    }
    if (heads.size() >= capacity && !heads.containsKey(stream)) {
      heads.clear(); // rare: more streams in use than remembered; start again
    }
    heads.put(stream, header);
  }
}
