package io.tito.internal.backup;

import io.tito.backup.BackupManifest;
import io.tito.backup.BackupStorage;
import io.tito.backup.Compression;
import io.tito.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Collects records into chunks of about {@code chunkBytes} uncompressed bytes and writes each as
 * a compressed file (gzip or zstd), recording its size and SHA-256. With {@code parallelism > 1} full chunks are
 * compressed, hashed and stored on that many threads while the caller goes on filling the next
 * one; at most {@code parallelism} chunks wait or run at a time (memory is bounded by about
 * {@code (parallelism + 1) * chunkBytes}), and the chunk list keeps chunk order. Record buffers and
 * zstd contexts are reused from chunk to chunk. Not thread-safe (one producer); close it to stop its
 * threads and free its zstd contexts.
 */
public final class ChunkWriter implements AutoCloseable {

  private final BackupStorage storage;
  private final String backupId;
  private final int chunkBytes;
  private final int parallelism;
  private final Compression compression;
  private final ExecutorService pool;
  private final Deque<Future<BackupManifest.Chunk>> pending = new ArrayDeque<>();
  private RecordBuffer buffer;
  /** Buffers whose chunk was written, for the next chunks. */
  private final ConcurrentLinkedQueue<RecordBuffer> freeBuffers = new ConcurrentLinkedQueue<>();
  /** One zstd compressor per thread that may compress at once (none for gzip). */
  private final BlockingQueue<Codecs.ZstdCompressor> compressors;
  private final List<BackupManifest.Chunk> chunks = new ArrayList<>();
  private int named;
  private long entriesInChunk;
  private Object first;
  private Object last;
  private long entries;
  private long rawBytes;
  private long storedBytes;

  public ChunkWriter(BackupStorage storage, String backupId, int chunkBytes, int parallelism, Compression compression) {
    Codecs.requireAvailable(compression);
    this.compression = compression;
    this.storage = storage;
    this.backupId = backupId;
    this.chunkBytes = chunkBytes;
    this.parallelism = parallelism;
    this.pool = parallelism > 1 ? InOrder.newPool(parallelism, "tito-backup-write-") : null;
    this.compressors = new ArrayBlockingQueue<>(Math.max(1, parallelism));
    if (compression == Compression.ZSTD) {
      for (int i = 0; i < Math.max(1, parallelism); i++) {
        compressors.add(new Codecs.ZstdCompressor());
      }
    }
    this.buffer = newBuffer();
  }

  private RecordBuffer newBuffer() {
    RecordBuffer b = freeBuffers.poll();
    return b != null ? b : new RecordBuffer(Math.min(chunkBytes + (chunkBytes >> 4) + 1024, 300 << 20));
  }

  /** The buffer to append one record to; call {@link #recorded} after each. */
  public RecordBuffer buffer() {
    return buffer;
  }

  /**
   * Notes that one record was appended, labelled {@code label} (its key, written as hex in the
   * manifest, or its commit version), and hands the chunk on if it is full. The label is kept as
   * given (not copied, not formatted) until the chunk is handed on.
   *
   * @return whether a chunk was handed on
   */
  public boolean recorded(Object label) {
    if (entriesInChunk == 0) {
      first = label;
    }
    last = label;
    entriesInChunk++;
    entries++;
    if (buffer.size() >= chunkBytes) {
      flush();
      return true;
    }
    return false;
  }

  /** Hands the pending records on as a chunk, if any. */
  public void flush() {
    if (entriesInChunk == 0) {
      return;
    }
    String name = String.format("chunk-%06d", named++) + Codecs.suffix(compression);
    RecordBuffer full = buffer;
    long n = entriesInChunk;
    String firstLabel = label(first);
    String lastLabel = label(last);
    rawBytes += full.size();
    entriesInChunk = 0;
    if (pool == null) {
      collect(write(name, full, n, firstLabel, lastLabel));
      full.reset();
      return;
    }
    buffer = newBuffer();
    while (pending.size() >= parallelism) {
      collect(InOrder.await(pending.removeFirst()));
    }
    pending.addLast(pool.submit(() -> {
      BackupManifest.Chunk c = write(name, full, n, firstLabel, lastLabel);
      full.reset();
      freeBuffers.add(full);
      return c;
    }));
  }

  /** Flushes and waits until every chunk is stored; then {@link #chunks} is complete. */
  public void finish() {
    flush();
    while (!pending.isEmpty()) {
      collect(InOrder.await(pending.removeFirst()));
    }
  }

  private void collect(BackupManifest.Chunk c) {
    chunks.add(c);
    storedBytes += c.storedBytes();
  }

  private BackupManifest.Chunk write(String name, RecordBuffer raw, long n, String firstLabel,
      String lastLabel) {
    return compression == Compression.ZSTD ? writeZstd(name, raw, n, firstLabel, lastLabel)
        : writeGzip(name, raw, n, firstLabel, lastLabel);
  }

  /** Compresses the whole chunk into a reused array, then hashes and stores it in one write. */
  private BackupManifest.Chunk writeZstd(String name, RecordBuffer raw, long n, String firstLabel,
      String lastLabel) {
    Codecs.ZstdCompressor z;
    try {
      z = compressors.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while writing a backup chunk", Map.of("backup", backupId, "chunk", name), e);
    }
    try (OutputStream file = storage.create(backupId, name)) {
      int length = z.compress(raw);
      MessageDigest sha = Hashing.sha256();
      sha.update(z.output(), 0, length);
      file.write(z.output(), 0, length);
      return new BackupManifest.Chunk(name, n, raw.size(), length, Hashing.hex(sha.digest()), firstLabel, lastLabel);
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException("backup chunk cannot be written", Map.of("backup", backupId, "chunk", name,
          "reason", String.valueOf(e.getMessage())), e);
    } finally {
      compressors.add(z);
    }
  }

  private BackupManifest.Chunk writeGzip(String name, RecordBuffer raw, long n, String firstLabel,
      String lastLabel) {
    MessageDigest sha = Hashing.sha256();
    long[] stored = new long[1];
    try (OutputStream file = storage.create(backupId, name)) {
      OutputStream counting = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          file.write(b);
          stored[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          file.write(b, off, len);
          stored[0] += len;
        }
      };
      Codecs.gzip(raw, new DigestOutputStream(counting, sha));
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException("backup chunk cannot be written", Map.of("backup", backupId, "chunk", name,
          "reason", String.valueOf(e.getMessage())), e);
    }
    return new BackupManifest.Chunk(name, n, raw.size(), stored[0], Hashing.hex(sha.digest()), firstLabel, lastLabel);
  }

  private static String label(Object label) {
    return label instanceof byte[] key ? Hashing.hex(key) : String.valueOf(label);
  }

  /** The chunks stored so far, in order. */
  public List<BackupManifest.Chunk> chunks() {
    return List.copyOf(chunks);
  }

  public long entries() {
    return entries;
  }

  public long rawBytes() {
    return rawBytes;
  }

  public long storedBytes() {
    return storedBytes;
  }

  /** Stops the threads, waiting for running writes so none lands after the caller cleans up. */
  @Override
  public void close() {
    if (pool != null) {
      pending.forEach(f -> f.cancel(false));
      InOrder.shutdown(pool);
    }
    compressors.forEach(Codecs.ZstdCompressor::close);
  }
}
