package io.tito.internal.pubsub;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.UUID;

/** Event ids: UUID version 7 (48-bit Unix milliseconds, then random bits), unique and roughly time-ordered. */
final class Ids {

  private static final SecureRandom SEEDS = new SecureRandom();
  /**
   * Random bits per thread, from a generator seeded by {@link SecureRandom}: one shared {@code
   * SecureRandom} serialised every publisher on its lock and cost a read of the system's entropy
   * source per id. Ids need to be unique (with the millisecond in front), not unguessable.
   */
  private static final ThreadLocal<SplittableRandom> RANDOM = ThreadLocal.withInitial(Ids::seeded);

  private Ids() {}

  static UUID next(Clock clock) {
    long millis = clock.millis();
    SplittableRandom random = RANDOM.get();
    long rand = random.nextLong();
    long msb = (millis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  private static SplittableRandom seeded() {
    return new SplittableRandom(SEEDS.nextLong()); // SecureRandom is thread-safe
  }

  /** A stable id for an event whose bytes cannot be decoded. */
  static UUID forPosition(String topic, int partition, long position) {
    return UUID.nameUUIDFromBytes((topic + "/" + partition + "/" + position).getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
  }
}
