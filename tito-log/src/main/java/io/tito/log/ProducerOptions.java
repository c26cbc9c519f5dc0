package io.tito.log;

import io.tito.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a {@link LogProducer} writes and retains its log. Build with {@link #builder(Path)}; every
 * setting has a documented default.
 *
 * @param directory the log directory (created if absent)
 * @param syncPolicy when records are forced to disk; default {@link SyncPolicy#everyAppend()}
 * @param segmentBytes size at which a segment file rolls; default 64 MiB, at least 64 KiB and at
 *     most 1 GiB. A record must fit in one segment (see {@link #maxRecordBytes()})
 * @param maxTotalBytes retention by size: sealed segments are deleted, oldest first, while the log
 *     would exceed it; default {@link Long#MAX_VALUE} (keep everything). The active segment always
 *     stays, so the log may hold up to one segment more than this
 * @param maxSegmentAge retention by age: a sealed segment is deleted once it has been sealed this
 *     long (checked when a segment rolls); null (default) for no age limit
 * @param minimumRetention what happens when retention would delete records an exactly-once
 *     consumer has not committed; default {@link MinimumRetention#NONE}
 * @param blockTimeout how long {@link MinimumRetention#BLOCK} blocks an append before failing it
 *     with {@link LogFullException}; default 30 s
 */
public record ProducerOptions(Path directory, SyncPolicy syncPolicy, int segmentBytes,
    long maxTotalBytes, Duration maxSegmentAge, MinimumRetention minimumRetention,
    Duration blockTimeout) {

  /** Smallest segment size accepted. */
  public static final int MIN_SEGMENT_BYTES = 64 * 1024;
  /** Largest segment size accepted. */
  public static final int MAX_SEGMENT_BYTES = 1 << 30;
  /** Default segment size. */
  public static final int DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

  /** @throws InvalidArgumentException naming the bad setting */
  public ProducerOptions {
    require(directory != null, "directory", "log directory must be given", directory);
    require(syncPolicy != null, "syncPolicy", "sync policy must be given", syncPolicy);
    require(segmentBytes >= MIN_SEGMENT_BYTES && segmentBytes <= MAX_SEGMENT_BYTES, "segmentBytes",
        "segment size must be between 64 KiB and 1 GiB", segmentBytes);
    require(maxTotalBytes > 0, "maxTotalBytes", "max total bytes must be positive", maxTotalBytes);
    require(maxSegmentAge == null || !(maxSegmentAge.isNegative() || maxSegmentAge.isZero()),
        "maxSegmentAge", "max segment age must be positive", maxSegmentAge);
    require(minimumRetention != null, "minimumRetention", "minimum retention must be given", null);
    require(blockTimeout != null && !blockTimeout.isNegative(), "blockTimeout",
        "block timeout must be zero or positive", blockTimeout);
  }

  private static void require(boolean ok, String setting, String message, Object value) {
    if (!ok) {
      throw new InvalidArgumentException(message,
          Map.of("setting", setting, "value", String.valueOf(value)));
    }
  }

  /** The largest record payload this configuration accepts, in bytes. */
  public int maxRecordBytes() {
    return io.tito.log.internal.SegmentFormat.maxPayload(segmentBytes);
  }

  /** A builder with every default, for the log in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Builds {@link ProducerOptions}; not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private SyncPolicy syncPolicy = SyncPolicy.everyAppend();
    private int segmentBytes = DEFAULT_SEGMENT_BYTES;
    private long maxTotalBytes = Long.MAX_VALUE;
    private Duration maxSegmentAge;
    private MinimumRetention minimumRetention = MinimumRetention.NONE;
    private Duration blockTimeout = Duration.ofSeconds(30);

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** See {@link ProducerOptions#syncPolicy()}. */
    public Builder syncPolicy(SyncPolicy value) {
      syncPolicy = value;
      return this;
    }

    /** See {@link ProducerOptions#segmentBytes()}. */
    public Builder segmentBytes(int value) {
      segmentBytes = value;
      return this;
    }

    /** See {@link ProducerOptions#maxTotalBytes()}. */
    public Builder maxTotalBytes(long value) {
      maxTotalBytes = value;
      return this;
    }

    /** See {@link ProducerOptions#maxSegmentAge()}. */
    public Builder maxSegmentAge(Duration value) {
      maxSegmentAge = value;
      return this;
    }

    /** See {@link ProducerOptions#minimumRetention()}. */
    public Builder minimumRetention(MinimumRetention value) {
      minimumRetention = value;
      return this;
    }

    /** See {@link ProducerOptions#blockTimeout()}. */
    public Builder blockTimeout(Duration value) {
      blockTimeout = value;
      return this;
    }

    /** @throws InvalidArgumentException naming the bad setting */
    public ProducerOptions build() {
      return new ProducerOptions(directory, syncPolicy, segmentBytes, maxTotalBytes, maxSegmentAge,
          minimumRetention, blockTimeout);
    }
  }
}
