package io.tito.events;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream headers this process committed last, so that the next append to a stream can name
 * the header it expects ({@link io.tito.Transaction#expect}) instead of reading it first: on
 * PostgreSQL that append commits in one round trip instead of two. An entry is only a guess: the
 * commit checks it against the snapshot, and an append whose guess was stale (another process
 * appended, deleted or truncated the stream) fails with a conflict and is retried, reading the
 * header. An entry is taken out when used and put back by the commit that wrote the next one,
 * so a failed guess is never made twice. An append that expects no stream may also guess that the
 * header is absent ({@link #guessAbsent}); it leaves a mark that makes the next appends read
 * instead, until a commit replaces the mark with the header. Thread-safe.
 */
final class StreamHeads {

  private final int capacity;
  private final ConcurrentHashMap<String, byte[]> heads = new ConcurrentHashMap<>();

  /** @param capacity the most streams remembered; 0 remembers none */
  StreamHeads(int capacity) {
    this.capacity = capacity;
  }

  /** Left by {@link #guessAbsent}: the next append to the stream reads its header. */
  private static final byte[] READ_NEXT = new byte[0];

  /**
   * The stream's last header committed by this process, removed from the cache; null if unknown;
   * a {@linkplain #isReadMark read mark} if a guess of this process failed or is in flight (the
   * mark stays until a commit puts the stream's header).
   */
  byte[] take(String stream) {
    if (capacity == 0) {
      return null;
    }
    byte[] out = heads.remove(stream);
    if (out == READ_NEXT) {
      heads.putIfAbsent(stream, READ_NEXT);
    }
    return out;
  }

  /** Whether {@code taken} is the mark {@link #guessAbsent} leaves: the header must be read. */
  static boolean isReadMark(byte[] taken) {
    return taken == READ_NEXT;
  }

  /**
   * Whether an append that requires the stream not to exist may guess its header absent, the
   * stream being unknown here ({@link #take} found nothing): if so, a mark makes the next append
   * to the stream read its header, unless a commit put the header first, so that a wrong guess
   * (the stream exists) is retried with a read instead of guessing again.
   */
  boolean guessAbsent(String stream) {
    if (capacity == 0) {
      return false;
    }
    put(stream, READ_NEXT);
    return true;
  }

  /**
   * Offers {@code header}, read from a committed snapshot, unless the stream already has an entry
   * (a commit's header, which may be newer, or a read mark).
   */
  void seed(String stream, byte[] header) {
    if (capacity > 0 && heads.size() < capacity) {
      heads.putIfAbsent(stream, header);
    }
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
