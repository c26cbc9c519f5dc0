package io.tito.backup;

import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;

/**
 * Which backups of a set to keep: the newest {@code keepLast} complete backups, and every backup
 * younger than {@code keepFor}. A backup that a kept one depends on (its parent, up to the full
 * backup starting the chain) is always kept too. Incomplete backups (no manifest) older than
 * {@code keepFor} are deleted.
 *
 * @param keepLast at least 1
 * @param keepFor zero or positive
 */
public record RetentionPolicy(int keepLast, Duration keepFor) {
  public RetentionPolicy {
    if (keepLast < 1) {
      throw new InvalidArgumentException("retention keepLast must be at least 1", Map.of("keepLast", keepLast));
    }
    if (keepFor == null || keepFor.isNegative()) {
      throw new InvalidArgumentException("retention keepFor must be zero or positive",
          Map.of("keepFor", String.valueOf(keepFor)));
    }
  }
}
