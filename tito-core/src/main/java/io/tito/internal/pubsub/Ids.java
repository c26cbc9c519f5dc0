package io.tito.internal.pubsub;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** Event ids: UUID version 7 (48-bit Unix milliseconds, then random bits), unique and roughly time-ordered. */
final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static UUID next(Clock clock) {
    long millis = clock.millis();
    long rand = RANDOM.nextLong();
    long msb = (millis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** A stable id for an event whose bytes cannot be decoded. */
  static UUID forPosition(String topic, int partition, long position) {
    return UUID.nameUUIDFromBytes((topic + "/" + partition + "/" + position).getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
  }
}
