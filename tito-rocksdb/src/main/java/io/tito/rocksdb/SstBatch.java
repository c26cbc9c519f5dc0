package io.tito.rocksdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileWriter;
import org.rocksdb.TableProperties;

/**
 * Sorted entries of one staged SST file of a bulk load, copied into one growable array (keys and
 * values back to back, their lengths on the side), written as a file by {@link #write}, possibly on
 * another thread than the one that filled it. Not thread-safe: filled by one thread, then written
 * by one thread.
 */
final class SstBatch {

  /**
   * Block compression of the staged files whose probe shows it pays (see {@link #write}): LZ4
   * builds them about twice as fast as the store's default Snappy (BENCHMARKS.md, issue 15 fourth pass) at a similar ratio; RocksDB records the
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

  /**
   * Entries of the probe that decides a file's compression: about this many bytes of keys and
   * values from the start of the batch.
   */
  static final int PROBE_BYTES = 1 << 20;

  /**
   * Writes the entries, in the order added, as the SST file {@code file}: with
   * {@link #FILE_COMPRESSION} if a probe of the batch's first entries (about {@link #PROBE_BYTES},
   * built with it into {@code file}'s name plus {@code .probe}, then deleted) shows it saves at
   * least an eighth of their size, otherwise uncompressed (RocksDB stores such blocks uncompressed
   * anyway, after paying for the attempt).
   *
   * @return the compression the file was built with
   */
  CompressionType write(Path file) throws RocksDBException {
    CompressionType compression = worthCompressing(file.resolveSibling(file.getFileName() + ".probe"))
        ? FILE_COMPRESSION : CompressionType.NO_COMPRESSION;
    write(file, count, compression);
    return compression;
  }

  private boolean worthCompressing(Path probe) throws RocksDBException {
    if (FILE_COMPRESSION == CompressionType.NO_COMPRESSION || count == 0) {
      return false;
    }
    int n = 0;
    long bytesInProbe = 0;
    while (n < count && bytesInProbe < PROBE_BYTES) {
      bytesInProbe += lengths[n * 2] + lengths[n * 2 + 1];
      n++;
    }
    try {
      write(probe, n, FILE_COMPRESSION);
      try (Options options = new Options(); SstFileReader reader = new SstFileReader(options)) {
        reader.open(probe.toString());
        TableProperties p = reader.getTableProperties();
        long raw = p.getRawKeySize() + p.getRawValueSize();
        return p.getDataSize() < raw - raw / 8;
      }
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Writes the first {@code n} entries as the SST file {@code file}, compressed as given. */
  private void write(Path file, int n, CompressionType compression) throws RocksDBException {
    try (BloomFilter filter = new BloomFilter(10, false);
        Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter))
            .setCompressionType(compression);
        EnvOptions env = new EnvOptions();
        SstFileWriter writer = new SstFileWriter(env, options)) {
      writer.open(file.toString());
      // Each entry goes through two direct buffers reused for the whole file: no arrays per entry,
      // and the native side reads them in place instead of copying Java arrays in.
      ByteBuffer key = ByteBuffer.allocateDirect(Math.max(16, maxKey));
      ByteBuffer value = ByteBuffer.allocateDirect(Math.max(16, maxValue));
      int at = 0;
      for (int i = 0; i < n; i++) {
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
