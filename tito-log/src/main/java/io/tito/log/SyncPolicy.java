package io.tito.log;

import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;

/** When appended records are forced to the disk. */
public sealed interface SyncPolicy {

  /**
   * Every append is durable before it returns. Threads appending at once share one force (group
   * commit): while one thread forces, the others queue behind it and the next force covers them all.
   */
  static SyncPolicy everyAppend() {
    return EveryAppend.INSTANCE;
  }

  /**
   * A background thread forces the active segment every {@code interval}; a crash of the machine
   * may lose the records of the last interval (a crash of the process loses nothing).
   *
   * @throws InvalidArgumentException if {@code interval} is null or not positive
   */
  static SyncPolicy periodic(Duration interval) {
    return new Periodic(interval);
  }

  /** Never force: the operating system writes pages when it likes. Fastest, least durable. */
  static SyncPolicy os() {
    return Os.INSTANCE;
  }

  /** See {@link #everyAppend()}. */
  enum EveryAppend implements SyncPolicy {
    /** The only value. */
    INSTANCE
  }

  /** See {@link #os()}. */
  enum Os implements SyncPolicy {
    /** The only value. */
    INSTANCE
  }

  /**
   * See {@link #periodic(Duration)}.
   *
   * @param interval time between forces; positive
   */
  record Periodic(Duration interval) implements SyncPolicy {

    /** @throws InvalidArgumentException if {@code interval} is null or not positive */
    public Periodic {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new InvalidArgumentException("sync interval must be positive",
            Map.of("interval", String.valueOf(interval)));
      }
    }
  }
}
