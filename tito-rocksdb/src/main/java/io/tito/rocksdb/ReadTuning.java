package io.tito.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.HyperClockCache;
import org.rocksdb.Options;

/**
 * The table and memtable settings of the key family, chosen for Tito's reads: point reads of
 * records and index entries (often of keys that do not exist yet: a new record's id, a free
 * unique value) and short range scans; blocks compressed with LZ4 (cheap to decompress on a
 * block cache miss). Measured in BENCHMARKS.md (issue 17); documented in the module README
 * under "Read tuning". No RocksDB row cache: RocksDB refuses range deletions (Tito's clears) with
 * one; {@link RowCache} stands in front of point reads instead.
 */
final class ReadTuning {

  /** Memtable bloom filter size as a fraction of the write buffer (RocksDB suggests up to 0.25). */
  static final double MEMTABLE_BLOOM_RATIO = 0.05;
  /** Fill ratio of each data block's hash index (RocksDB's recommended 0.75). */
  static final double DATA_BLOCK_HASH_RATIO = 0.75;

  /**
   * Compression of every level's blocks: LZ4, which decompresses a block read from a file (a block
   * cache miss) in about half of Snappy's (RocksDB's default) time at about the same size
   * (BENCHMARKS.md, issue 17 reads: 1,000,000 records, point read p50 21 µs with Snappy, 11 µs with
   * LZ4, 10 µs uncompressed at 3.4 times the size).
   */
  static final CompressionType COMPRESSION = CompressionType.LZ4_COMPRESSION;

  private ReadTuning() {}

  /**
   * A block cache of {@code bytes}: RocksDB's HyperClockCache (lock-free lookups, entry size
   * estimated automatically), whose cached reads measured 15-25 % faster than the LRU cache's
   * (BENCHMARKS.md, issue 17 reads).
   */
  static Cache blockCache(long bytes) {
    return new HyperClockCache(bytes, 0, -1, false);
  }

  /**
   * Sets on {@code options}: a 10-bit bloom filter per table file, on whole keys; a hash index in
   * each data block (a point read finds its key without a binary search of the block); a bloom
   * filter on whole keys in the memtable (a read of an absent key skips the memtable's skip
   * list); {@code cache} as the block cache, or none; LZ4 compression on every level.
   */
  static Options apply(Options options, BloomFilter filter, Cache cache) {
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setFilterPolicy(filter)
        .setWholeKeyFiltering(true)
        .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
        .setDataBlockHashTableUtilRatio(DATA_BLOCK_HASH_RATIO);
    if (cache == null) {
      table.setNoBlockCache(true);
    } else {
      table.setBlockCache(cache);
    }
    return options.setTableFormatConfig(table)
        .setCompressionType(COMPRESSION)
        .setMemtableWholeKeyFiltering(true)
        .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO);
  }
}
