package io.tito.rocksdb;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Sorted entries of one staged SST file of a bulk load, copied into one growable array (keys and
 * values back to back, their lengths on the side), written as a file by {@link #write}, possibly on
 * another thread than the one that filled it. Not thread-safe: filled by one thread, then written
 * by one thread.
 */
final class SstBatch {

  /**
   * Block compression of the staged files: LZ4 builds them about twice as fast as the store's
   * default Snappy (BENCHMARKS.md, issue 15 fourth pass) at a similar ratio; RocksDB records the
   * compression per block, so the store reads them like its own files and compactions rewrite them
   * with its own settings.
   */
  static final CompressionType FILE_COMPRESSION = ReadTuning.COMPRESSION;

  /** Capacity beyond which the array grows only as far as an entry needs. */
  private final long capacityHint;
  private byte[] bytes = new byte[1 << 16];
  private int size;
  private int[] lengths = new int[1 << 10];
  private int count;
  private int maxKey;
  private int maxValue;

  /**
   * @param capacityHint bytes the batch is expected to reach: the array doubles up to this size,
   *     and beyond it grows only to what an entry needs (a full batch holds one array of about
   *     this size, not twice it)
   */
  SstBatch(long capacityHint) {
    this.capacityHint = capacityHint;
  }

  /** Appends copies of {@code key} and {@code value}. */
  void add(byte[] key, byte[] value) {
    add(key, 0, key.length, value, 0, value.length);
  }

  /** Appends copies of the ranges {@code key[ko, ko + kl)} and {@code value[vo, vo + vl)}. */
  void add(byte[] key, int ko, int kl, byte[] value, int vo, int vl) {
    if (count * 2 + 2 > lengths.length) {
      lengths = Arrays.copyOf(lengths, lengths.length * 2);
    }
    long need = (long) size + kl + vl;
    if (need > bytes.length) {
      if (need > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("bulk load batch over 2 GiB");
      }
      long grown = Math.max(need, Math.min(bytes.length * 2L, capacityHint));
      bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16L, grown));
    }
    System.arraycopy(key, ko, bytes, size, kl);
    size += kl;
    System.arraycopy(value, vo, bytes, size, vl);
    size += vl;
    maxKey = Math.max(maxKey, kl);
    maxValue = Math.max(maxValue, vl);
    lengths[count * 2] = kl;
    lengths[count * 2 + 1] = vl;
    count++;
  }

  /** Bytes of keys and values added. */
  long bytes() {
    return size;
  }

  int count() {
    return count;
  }

  /** Writes the entries, in the order added, as the SST file {@code file}. */
  void write(Path file) throws RocksDBException {
    try (BloomFilter filter = new BloomFilter(10, false);
        Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter))
            .setCompressionType(FILE_COMPRESSION);
        EnvOptions env = new EnvOptions();
        SstFileWriter writer = new SstFileWriter(env, options)) {
      writer.open(file.toString());
      // Each entry goes through two direct buffers reused for the whole file: no arrays per entry,
      // and the native side reads them in place instead of copying Java arrays in.
      ByteBuffer key = ByteBuffer.allocateDirect(Math.max(16, maxKey));
      ByteBuffer value = ByteBuffer.allocateDirect(Math.max(16, maxValue));
      int at = 0;
      for (int i = 0; i < count; i++) {
        int k = lengths[i * 2];
        int v = lengths[i * 2 + 1];
        key.clear();
        key.put(bytes, at, k).flip();
        value.clear();
        value.put(bytes, at + k, v).flip();
        writer.put(key, value);
        at += k + v;
      }
      writer.finish();
    }
  }
}
