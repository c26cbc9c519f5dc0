package io.tito.rocksdb;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import io.tito.spi.SnapshotRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of a {@link RocksDbEngine}: immutable and validated on construction. Build with
 * {@link #builder(Path)} or take every default with {@link #of(Path)}.
 *
 * @param path directory of the store (required). Created with its parents when missing and
 *     {@code createIfMissing} is true. It must be empty, or a Tito store.
 * @param durability when a commit survives a machine crash; default {@link Durability#GROUP}
 * @param syncInterval how often {@link Durability#PERIODIC} syncs the write-ahead log; between
 *     1 ms and 1 hour; default {@link #DEFAULT_SYNC_INTERVAL} (1 s). Ignored by the other modes.
 * @param limits sizes accepted per key, value and transaction; default {@link EngineLimits#DEFAULT}.
 *     The transaction size may not exceed {@link #MAX_TRANSACTION_SIZE} (one RocksDB write batch).
 * @param blockCacheBytes size of the block cache (uncompressed data blocks kept in memory);
 *     {@code 0} disables the cache; default {@link #DEFAULT_BLOCK_CACHE_BYTES} (a sixteenth of
 *     the machine's memory, between 64 MiB and 1 GiB). It also sizes the row cache of values on
 *     the heap in front of point reads: a quarter of it, at most a sixteenth of the maximum heap;
 *     {@code 0} disables both
 * @param createIfMissing whether a missing or empty directory becomes a new store; when false,
 *     opening it fails with {@link io.tito.StorageException}; default true
 * @param maxTransactionAge a read-write transaction older than this stops holding conflict
 *     history in memory and fails at its next call or commit with a retriable
 *     {@link io.tito.ConflictException}; read-only transactions have no age limit (they hold
 *     only a RocksDB snapshot). Between 1 ms and 1 day; default
 *     {@link #DEFAULT_MAX_TRANSACTION_AGE} (5 minutes)
 * @param warmCache whether the block cache is warmed (the store's tables read once into it) in a
 *     background thread after open and at the end of {@link RocksDbEngine#compact()}, when the
 *     tables fit in half of {@code blockCacheBytes}; default {@link #DEFAULT_WARM_CACHE} (true).
 *     Without a block cache nothing is warmed. See the module README, "Warming"
 * @throws InvalidArgumentException from the constructor if a setting is null or out of range;
 *     the message context names the setting ({@code setting}) and its value
 */
public record RocksDbOptions(
    Path path,
    Durability durability,
    Duration syncInterval,
    EngineLimits limits,
    long blockCacheBytes,
    boolean createIfMissing,
    Duration maxTransactionAge,
    boolean warmCache) {

  /** Default durability: {@link Durability#GROUP}. */
  public static final Durability DEFAULT_DURABILITY = Durability.GROUP;
  /** Default sync interval of {@link Durability#PERIODIC}: one second. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);
  /** Smallest default block cache: 64 MiB. */
  public static final long MIN_DEFAULT_BLOCK_CACHE_BYTES = 64L * 1024 * 1024;
  /** Largest default block cache: 1 GiB. */
  public static final long MAX_DEFAULT_BLOCK_CACHE_BYTES = 1L << 30;
  /**
   * Default block cache: a sixteenth of the memory of the machine (or container), between
   * {@link #MIN_DEFAULT_BLOCK_CACHE_BYTES} (64 MiB) and {@link #MAX_DEFAULT_BLOCK_CACHE_BYTES}
   * (1 GiB). The cache holds only blocks that were read, so a store smaller than this uses
   * memory in proportion to the data it reads: the cache is sized by the data up to the bound.
   */
  public static final long DEFAULT_BLOCK_CACHE_BYTES = defaultBlockCacheBytes();
  /** Default maximum age of a read-write transaction: five minutes. */
  public static final Duration DEFAULT_MAX_TRANSACTION_AGE = SnapshotRegistry.DEFAULT_MAX_TRANSACTION_AGE;
  /** Default of {@code warmCache}: the block cache is warmed when the tables fit in half of it. */
  public static final boolean DEFAULT_WARM_CACHE = true;
  /** Largest accepted {@link EngineLimits#maxTransactionSize()}: 1 GiB. */
  public static final long MAX_TRANSACTION_SIZE = 1L << 30;

  private static final Duration MIN_SYNC_INTERVAL = Duration.ofMillis(1);
  private static final Duration MAX_SYNC_INTERVAL = Duration.ofHours(1);
  private static final Duration MIN_TRANSACTION_AGE = Duration.ofMillis(1);
  private static final Duration MAX_TRANSACTION_AGE = Duration.ofDays(1);

  public RocksDbOptions {
    if (path == null) {
      throw invalid("rocksdb setting path is required", "path", null);
    }
    if (durability == null) {
      throw invalid("rocksdb setting durability must not be null", "durability", null);
    }
    if (syncInterval == null
        || syncInterval.compareTo(MIN_SYNC_INTERVAL) < 0
        || syncInterval.compareTo(MAX_SYNC_INTERVAL) > 0) {
      throw invalid("rocksdb setting syncInterval must be between 1 ms and 1 hour", "syncInterval", syncInterval);
    }
    if (limits == null) {
      throw invalid("rocksdb setting limits must not be null", "limits", null);
    }
    if (limits.maxTransactionSize() > MAX_TRANSACTION_SIZE) {
      throw new InvalidArgumentException("rocksdb setting limits.maxTransactionSize is too large",
          Map.of("setting", "limits.maxTransactionSize", "value", limits.maxTransactionSize(),
              "max", MAX_TRANSACTION_SIZE));
    }
    if (blockCacheBytes < 0) {
      throw invalid("rocksdb setting blockCacheBytes must not be negative", "blockCacheBytes", blockCacheBytes);
    }
    if (maxTransactionAge == null
        || maxTransactionAge.compareTo(MIN_TRANSACTION_AGE) < 0
        || maxTransactionAge.compareTo(MAX_TRANSACTION_AGE) > 0) {
      throw invalid("rocksdb setting maxTransactionAge must be between 1 ms and 1 day", "maxTransactionAge",
          maxTransactionAge);
    }
  }

  /**
   * The settings of the releases before {@code warmCache}, with it at its default
   * ({@link #DEFAULT_WARM_CACHE}).
   *
   * @throws InvalidArgumentException as the canonical constructor
   */
  public RocksDbOptions(Path path, Durability durability, Duration syncInterval, EngineLimits limits,
      long blockCacheBytes, boolean createIfMissing, Duration maxTransactionAge) {
    this(path, durability, syncInterval, limits, blockCacheBytes, createIfMissing, maxTransactionAge,
        DEFAULT_WARM_CACHE);
  }

  private static long defaultBlockCacheBytes() {
    long total;
    try {
      total = ((com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    } catch (RuntimeException | LinkageError e) {
      total = 0; // no memory figure on this platform: the smallest default
    }
    return Math.clamp(total / 16, MIN_DEFAULT_BLOCK_CACHE_BYTES, MAX_DEFAULT_BLOCK_CACHE_BYTES);
  }

  private static InvalidArgumentException invalid(String message, String setting, Object value) {
    return new InvalidArgumentException(message, Map.of("setting", setting, "value", String.valueOf(value)));
  }

  /** Every default, at {@code path}. */
  public static RocksDbOptions of(Path path) {
    return builder(path).build();
  }

  /** A builder with every default, at {@code path}. */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(path)
        .durability(durability)
        .syncInterval(syncInterval)
        .limits(limits)
        .blockCacheBytes(blockCacheBytes)
        .createIfMissing(createIfMissing)
        .maxTransactionAge(maxTransactionAge)
        .warmCache(warmCache);
  }

  /** Builds {@link RocksDbOptions}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private Path path;
    private Durability durability = DEFAULT_DURABILITY;
    private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
    private EngineLimits limits = EngineLimits.DEFAULT;
    private long blockCacheBytes = DEFAULT_BLOCK_CACHE_BYTES;
    private boolean createIfMissing = true;
    private Duration maxTransactionAge = DEFAULT_MAX_TRANSACTION_AGE;
    private boolean warmCache = DEFAULT_WARM_CACHE;

    private Builder(Path path) {
      this.path = path;
    }

    /** Directory of the store (required). */
    public Builder path(Path value) {
      this.path = value;
      return this;
    }

    /** Default {@link Durability#GROUP}. */
    public Builder durability(Durability value) {
      this.durability = value;
      return this;
    }

    /** Sync interval of {@link Durability#PERIODIC}; default 1 s. */
    public Builder syncInterval(Duration value) {
      this.syncInterval = value;
      return this;
    }

    /** Default {@link EngineLimits#DEFAULT}. */
    public Builder limits(EngineLimits value) {
      this.limits = value;
      return this;
    }

    /**
     * Block cache size in bytes, {@code 0} for none; default {@link #DEFAULT_BLOCK_CACHE_BYTES}
     * (a sixteenth of the machine's memory, between 64 MiB and 1 GiB).
     */
    public Builder blockCacheBytes(long value) {
      this.blockCacheBytes = value;
      return this;
    }

    /** Whether a missing or empty directory becomes a new store; default true. */
    public Builder createIfMissing(boolean value) {
      this.createIfMissing = value;
      return this;
    }

    /** Maximum age of a read-write transaction, 1 ms to 1 day; default 5 minutes. */
    public Builder maxTransactionAge(Duration value) {
      this.maxTransactionAge = value;
      return this;
    }

    /**
     * Whether the block cache is warmed after open and after {@link RocksDbEngine#compact()} when
     * the tables fit in half of it; default true.
     */
    public Builder warmCache(boolean value) {
      this.warmCache = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws InvalidArgumentException if a setting is missing or out of range
     */
    public RocksDbOptions build() {
      return new RocksDbOptions(path, durability, syncInterval, limits, blockCacheBytes, createIfMissing,
          maxTransactionAge, warmCache);
    }
  }
}
