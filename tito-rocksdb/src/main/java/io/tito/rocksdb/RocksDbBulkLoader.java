package io.tito.rocksdb;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.LimitExceededException;
import io.tito.StorageException;
import io.tito.spi.BulkLoader;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.tito.spi.Capability#BULK_LOAD} on RocksDB: entries are written, sorted, into SST files
 * in a staging directory inside the store ({@code bulk-load-<uuid>}), which one
 * {@code ingestExternalFile} call moves into the store at {@link #finish()}: RocksDB ingests a list
 * of files atomically (one manifest write), so the store holds all of them or none, also across a
 * crash. Aborting deletes the staging directory; a directory left by a crashed process is never
 * read and may be deleted.
 *
 * <p>{@link #add} copies entries into a batch; every {@link #FILE_BYTES} a full batch is built into
 * its SST file on one of {@link #WRITERS} threads while the caller goes on (keys arrive sorted, so
 * consecutive files hold consecutive key ranges). A file that cannot be built aborts the load; the
 * failure is thrown by a later {@code add} or by {@code finish}.
 *
 * <p>After the ingest, the loader commits one transaction that writes the last entry again (same
 * value): under {@link Durability#GROUP} that moves the synced view new transactions read, so they
 * see the loaded entries, and in every mode it leaves a commit version after the load. Not
 * thread-safe.
 */
final class RocksDbBulkLoader implements BulkLoader {

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbBulkLoader.class);
  /**
   * Bytes of keys and values per staged SST file (files are ingested together anyway). Each file
   * is built on a thread of its own while the next one fills, so up to {@link #WRITERS} + 1 of
   * them are held in memory.
   */
  static final long FILE_BYTES = 32L << 20;
  /** Files built at once. */
  static final int WRITERS = 2;

  private final RocksDbEngine engine;
  private final EngineLimits limits;
  private final Path staging;
  private final long fileBytes;
  private final ExecutorService pool;
  private final Deque<Future<?>> building = new ArrayDeque<>();
  private final List<Path> files = new ArrayList<>();
  private SstBatch batch;
  /** The last key and value added, copied into buffers reused from entry to entry. */
  private byte[] lastKey = new byte[64];
  private int lastKeyLength = -1;
  private byte[] lastValue = new byte[256];
  private int lastValueLength;
  private long entries;
  private boolean ended;

  private RocksDbBulkLoader(RocksDbEngine engine, Path staging, long fileBytes) {
    this.engine = engine;
    this.limits = engine.limits();
    this.staging = staging;
    this.fileBytes = fileBytes;
    this.batch = newBatch();
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(WRITERS, r -> {
      Thread t = new Thread(r, "tito-bulk-load-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens a loader on {@code engine}, whose store must be empty and without change feed holds. */
  static RocksDbBulkLoader open(RocksDbEngine engine) {
    return open(engine, FILE_BYTES);
  }

  /** As {@link #open(RocksDbEngine)}, starting a new file every {@code fileBytes} (tests use small files). */
  static RocksDbBulkLoader open(RocksDbEngine engine, long fileBytes) {
    Lock l = engine.enter();
    try {
      requireLoadable(engine);
    } finally {
      l.unlock();
    }
    Path staging = engine.storePath().resolve("bulk-load-" + UUID.randomUUID());
    try {
      Files.createDirectory(staging);
    } catch (IOException e) {
      throw new StorageException("bulk load staging directory cannot be created",
          Map.of("path", staging, "reason", String.valueOf(e.getMessage())), e);
    }
    return new RocksDbBulkLoader(engine, staging, fileBytes);
  }

  private static void requireLoadable(RocksDbEngine engine) {
    if (!engine.changeFeed().holds().isEmpty()) {
      throw new InvalidArgumentException("cannot bulk load while the change feed has retention holds:"
          + " loaded entries would be missing from the feed",
          Map.of("engine", engine.name(), "holds", engine.changeFeed().holds().keySet()));
    }
    try (RocksIterator it = engine.db().newIterator()) {
      it.seekToFirst();
      if (it.isValid()) {
        throw new InvalidArgumentException("bulk load needs an empty store",
            Map.of("engine", engine.name(), "path", engine.storePath(), "firstKey", ByteArrays.printable(it.key())));
      }
      try {
        it.status();
      } catch (RocksDBException e) {
        throw engine.readFailure(e);
      }
    }
  }

  @Override
  public void add(byte[] key, byte[] value) {
    if (key == null || value == null) {
      requireOpen();
      throw new InvalidArgumentException("bulk load key and value must not be null", Map.of());
    }
    add(key, 0, key.length, value, 0, value.length);
  }

  @Override
  public void add(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
    requireOpen();
    if (key == null || value == null) {
      throw new InvalidArgumentException("bulk load key and value must not be null", Map.of());
    }
    Objects.checkFromIndexSize(keyOffset, keyLength, key.length);
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    if (keyLength > limits.maxKeySize()) {
      throw new LimitExceededException("key is larger than the engine accepts",
          Map.of("keySize", keyLength, "maxKeySize", limits.maxKeySize()));
    }
    if (valueLength > limits.maxValueSize()) {
      throw new LimitExceededException("value is larger than the engine accepts",
          Map.of("valueSize", valueLength, "maxValueSize", limits.maxValueSize()));
    }
    if (lastKeyLength >= 0
        && Arrays.compareUnsigned(key, keyOffset, keyOffset + keyLength, lastKey, 0, lastKeyLength) <= 0) {
      throw new InvalidArgumentException("bulk load keys must be added in strictly increasing order",
          Map.of("key", ByteArrays.printable(Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength)),
              "previousKey", ByteArrays.printable(Arrays.copyOf(lastKey, lastKeyLength))));
    }
    batch.add(key, keyOffset, keyLength, value, valueOffset, valueLength);
    if (batch.bytes() >= fileBytes) {
      build();
    }
    lastKey = copyInto(lastKey, key, keyOffset, keyLength);
    lastKeyLength = keyLength;
    lastValue = copyInto(lastValue, value, valueOffset, valueLength);
    lastValueLength = valueLength;
    entries++;
  }

  /** {@code bytes[off, off + len)} copied to the start of {@code buffer}, or of a bigger one if it does not fit. */
  private static byte[] copyInto(byte[] buffer, byte[] bytes, int off, int len) {
    byte[] b = buffer.length >= len ? buffer : new byte[Math.max(len, buffer.length * 2)];
    System.arraycopy(bytes, off, b, 0, len);
    return b;
  }

  /** A batch that fills to about {@link #fileBytes} plus one large entry. */
  private SstBatch newBatch() {
    return new SstBatch(fileBytes + (1 << 20));
  }

  /** Hands the filled batch to a builder thread, first waiting for the oldest if all are busy. */
  private void build() {
    SstBatch full = batch;
    batch = newBatch();
    Path file = staging.resolve(String.format("%06d.sst", files.size()));
    files.add(file);
    while (building.size() >= WRITERS) {
      awaitOldest();
    }
    building.addLast(pool.submit(() -> {
      full.write(file);
      return null;
    }));
  }

  /** Waits for the oldest file being built; a failed build aborts the load. */
  private void awaitOldest() {
    Future<?> f = building.removeFirst();
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new StorageException("interrupted while staging a bulk load; the load was aborted",
          Map.of("path", staging), e);
    } catch (ExecutionException e) {
      close();
      throw new StorageException("bulk load could not stage its entries; the load was aborted",
          Map.of("path", staging, "reason", String.valueOf(e.getCause().getMessage())), e.getCause());
    }
  }

  @Override
  public long finish() {
    requireOpen();
    if (batch.count() > 0) {
      build();
    }
    while (!building.isEmpty()) {
      awaitOldest();
    }
    try {
      if (entries > 0) {
        ingest();
      }
    } catch (RocksDBException e) {
      throw new StorageException("bulk load could not be finished; nothing was loaded",
          Map.of("path", staging, "reason", String.valueOf(e.getMessage())), e);
    } finally {
      close();
    }
    if (entries > 0) {
      refreshReaders();
    }
    return entries;
  }

  private void ingest() throws RocksDBException {
    Lock l = engine.enter();
    try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
      requireLoadable(engine);
      RowCache rows = engine.rowCache();
      long token = rows == null ? 0 : rows.beginWrite(List.of(), Map.of(), true);
      try {
        engine.db().ingestExternalFile(files.stream().map(Path::toString).toList(), ingest);
      } finally {
        if (rows != null) {
          rows.endWrite(token, true);
        }
      }
    } finally {
      l.unlock();
    }
  }

  private void refreshReaders() {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(Arrays.copyOf(lastKey, lastKeyLength), Arrays.copyOf(lastValue, lastValueLength));
      tx.commit();
    } catch (RuntimeException e) {
      throw new StorageException("bulk load was ingested, but the commit that shows it to new transactions"
          + " failed; it shows after the next commit or a reopen", Map.of("path", engine.storePath()), e);
    }
  }

  private void requireOpen() {
    if (ended) {
      throw new InvalidArgumentException("bulk loader was finished or closed", Map.of("path", staging));
    }
  }

  /** Aborts an unfinished load: frees the natives and deletes the staging directory. */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    building.forEach(f -> f.cancel(false));
    building.clear();
    pool.shutdown();
    try {
      // Builders must be done before their files are deleted.
      if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
        LOG.warn("bulk load builders did not stop; staging directory left (path={})", staging);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteStaging();
  }

  private void deleteStaging() {
    try {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(staging);
    } catch (IOException e) {
      LOG.warn("bulk load staging directory could not be deleted; delete it by hand (path={})", staging, e);
    }
  }
}
