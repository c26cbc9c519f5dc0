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
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileWriter;
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
 * <p>After the ingest, the loader commits one transaction that writes the last entry again (same
 * value): under {@link Durability#GROUP} that moves the synced view new transactions read, so they
 * see the loaded entries, and in every mode it leaves a commit version after the load. Not
 * thread-safe.
 */
final class RocksDbBulkLoader implements BulkLoader {

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbBulkLoader.class);
  /** Size at which the loader starts a new SST file (files are ingested together anyway). */
  static final long FILE_BYTES = 256L << 20;

  private final RocksDbEngine engine;
  private final EngineLimits limits;
  private final Path staging;
  private final BloomFilter filter;
  private final Options options;
  private final EnvOptions envOptions;
  private final List<Path> files = new ArrayList<>();
  private SstFileWriter writer;
  private long fileBytes;
  private byte[] lastKey;
  private byte[] lastValue;
  private long entries;
  private boolean ended;

  private RocksDbBulkLoader(RocksDbEngine engine, Path staging) {
    this.engine = engine;
    this.limits = engine.limits();
    this.staging = staging;
    this.filter = new BloomFilter(10, false);
    this.options = new Options().setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter))
        .setCompressionType(ReadTuning.COMPRESSION);
    this.envOptions = new EnvOptions();
  }

  /** Opens a loader on {@code engine}, whose store must be empty and without change feed holds. */
  static RocksDbBulkLoader open(RocksDbEngine engine) {
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
    return new RocksDbBulkLoader(engine, staging);
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
    requireOpen();
    if (key == null || value == null) {
      throw new InvalidArgumentException("bulk load key and value must not be null", Map.of());
    }
    if (key.length > limits.maxKeySize()) {
      throw new LimitExceededException("key is larger than the engine accepts",
          Map.of("keySize", key.length, "maxKeySize", limits.maxKeySize()));
    }
    if (value.length > limits.maxValueSize()) {
      throw new LimitExceededException("value is larger than the engine accepts",
          Map.of("valueSize", value.length, "maxValueSize", limits.maxValueSize()));
    }
    if (lastKey != null && Arrays.compareUnsigned(key, lastKey) <= 0) {
      throw new InvalidArgumentException("bulk load keys must be added in strictly increasing order",
          Map.of("key", ByteArrays.printable(key), "previousKey", ByteArrays.printable(lastKey)));
    }
    try {
      if (writer == null || fileBytes >= FILE_BYTES) {
        nextFile();
      }
      writer.put(key, value);
    } catch (RocksDBException e) {
      close();
      throw new StorageException("bulk load could not stage an entry; the load was aborted",
          Map.of("path", staging, "reason", String.valueOf(e.getMessage())), e);
    }
    fileBytes += key.length + value.length;
    lastKey = key.clone();
    lastValue = value.clone();
    entries++;
  }

  private void nextFile() throws RocksDBException {
    finishFile();
    Path file = staging.resolve(String.format("%06d.sst", files.size()));
    writer = new SstFileWriter(envOptions, options);
    files.add(file);
    writer.open(file.toString());
    fileBytes = 0;
  }

  private void finishFile() throws RocksDBException {
    if (writer != null) {
      try (SstFileWriter w = writer) {
        writer = null;
        w.finish();
      }
    }
  }

  @Override
  public long finish() {
    requireOpen();
    try {
      finishFile();
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
      engine.db().ingestExternalFile(files.stream().map(Path::toString).toList(), ingest);
    } finally {
      l.unlock();
    }
  }

  private void refreshReaders() {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(lastKey, lastValue);
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
    if (writer != null) {
      writer.close();
      writer = null;
    }
    envOptions.close();
    options.close();
    filter.close();
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
