package io.tito.internal.backup;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.StorageException;
import io.tito.TitoException;
import io.tito.backup.BackupManifest;
import io.tito.backup.BackupOptions;
import io.tito.backup.BackupProgress;
import io.tito.backup.RestorePoint;
import io.tito.backup.RestoreResult;
import io.tito.spi.BulkLoader;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.time.Instant;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a chain of backups into an empty store: resolves the chain for the point, reads and
 * checks every chunk of it (the full backup's while bulk loading it, see below), checks the target
 * is empty, and only then writes: the full backup
 * through the target's bulk loader when it declares {@link Capability#BULK_LOAD} (sorted entries
 * made visible at once), otherwise in transactions bounded by the target's limits; incremental
 * commits always in transactions.
 */
public final class Restorer {

  private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
  private static final int MAX_ENTRIES_PER_TRANSACTION = 10_000;
  private static final long MAX_BYTES_PER_TRANSACTION = 4L << 20;

  private final Catalog catalog;
  private final ChunkReader reader;
  private final BackupOptions options;

  public Restorer(Catalog catalog, ChunkReader reader, BackupOptions options) {
    this.catalog = catalog;
    this.reader = reader;
    this.options = options;
  }

  /** Restores the set's state at {@code point} into {@code target}, which must be empty. */
  public RestoreResult restore(RestorePoint point, Engine target) {
    Catalog.Listing listing = catalog.read();
    Plan plan = ChainPlanner.plan(listing, point);
    // A bulk load is invisible until it finishes, so the full backup's chunks are checked as they
    // are loaded (one read instead of two) and the load finishes only if all of them pass.
    boolean bulk = bulkLoads(target);
    for (BackupManifest m : bulk ? plan.chain().subList(1, plan.chain().size()) : plan.chain()) {
      reader.verify(m);
      options.progress().update(new BackupProgress.Status("verify", m.id(), m.chunks().size(), m.entries(), m.rawBytes()));
    }
    requireEmpty(target);
    try {
      return write(plan, target, bulk);
    } catch (TitoException e) {
      clearAfterFailure(target);
      throw new StorageException("restore failed while writing; the target was cleared again (if that failed too,"
          + " clear it before retrying): " + e.getMessage(), Map.of("engine", target.name()), e);
    }
  }

  private RestoreResult write(Plan plan, Engine target, boolean bulk) {
    long budget = Math.min(MAX_BYTES_PER_TRANSACTION, target.limits().maxTransactionSize() / 2);
    BackupManifest full = plan.chain().get(0);
    Batch batch = new Batch(target, budget);
    long entries = bulk ? bulkLoad(full, target) : writeEntries(full, batch);
    long version = full.toVersion();
    long time = full.toTimeMillis();
    long commits = 0;
    outer:
    for (BackupManifest m : plan.chain().subList(1, plan.chain().size())) {
      try (InOrder<List<ChangeFeed.Commit>> chunks = reader.commitsAhead(m)) {
        long chunk = 0;
        while (chunks.hasNext()) {
          for (ChangeFeed.Commit commit : chunks.next()) {
            if (!plan.includes(commit)) {
              break outer;
            }
            for (KeyRange r : commit.clearedRanges()) {
              batch.clearRange(r.begin(), r.end());
            }
            for (ChangeFeed.Write w : commit.writes()) {
              byte[] v = w.value();
              if (v == null) {
                batch.clear(w.key());
              } else {
                batch.set(w.key(), v);
              }
            }
            version = commit.version();
            time = commit.timeMillis();
            commits++;
          }
          chunk++;
          options.progress().update(new BackupProgress.Status("restore", m.id(), chunk, commits, 0));
        }
      }
      version = m.toVersion();
      time = m.toTimeMillis();
    }
    batch.commit();
    if (plan.version() >= 0) {
      version = plan.version();
    }
    List<String> ids = plan.chain().stream().map(BackupManifest::id).toList();
    LOG.info("restored {} entries and {} commits from {} into {} (version {})", entries, commits, ids,
        target.name(), version);
    return new RestoreResult(version, time, ids, entries, commits);
  }

  /**
   * Whether the full backup goes in through the target's {@link BulkLoader}: when it declares
   * {@link Capability#BULK_LOAD} and has no change feed holds (loaded entries bypass the feed, so
   * a loader refuses to run under holds).
   */
  static boolean bulkLoads(Engine target) {
    return target.capabilities().contains(Capability.BULK_LOAD)
        && !(target.capabilities().contains(Capability.CHANGE_FEED) && !target.changeFeed().holds().isEmpty());
  }

  /**
   * The full backup's entries, in key order, loaded at once; every chunk is checked as it is read
   * (it was not verified beforehand) and a failure leaves the target empty.
   */
  private long bulkLoad(BackupManifest full, Engine target) {
    long entries = 0;
    long chunksDone = 0;
    try (BulkLoader loader = target.bulkLoader();
        InOrder<RecordCodec.EntryRanges> chunks = reader.entryRangesAhead(full)) {
      while (chunks.hasNext()) {
        RecordCodec.EntryRanges chunk = chunks.next();
        byte[] data = chunk.data();
        int[] r = chunk.ranges();
        for (int i = 0, n = chunk.count(); i < n; i++) {
          loader.add(data, r[4 * i], r[4 * i + 1], data, r[4 * i + 2], r[4 * i + 3]);
        }
        entries += chunk.count();
        chunksDone++;
        options.progress().update(new BackupProgress.Status("restore", full.id(), chunksDone, entries, 0));
      }
      if (entries != full.entries()) {
        throw ManifestCodec.corrupt(full.id(), "chunks hold " + entries + " records, the manifest says " + full.entries());
      }
      loader.finish();
    }
    return entries;
  }

  /** The full backup's entries through transactions bounded by the target's limits. */
  private long writeEntries(BackupManifest full, Batch batch) {
    long entries = 0;
    long chunksDone = 0;
    try (InOrder<List<byte[][]>> chunks = reader.entriesAhead(full)) {
      while (chunks.hasNext()) {
        for (byte[][] kv : chunks.next()) {
          batch.set(kv[0], kv[1]);
          entries++;
        }
        chunksDone++;
        options.progress().update(new BackupProgress.Status("restore", full.id(), chunksDone, entries, 0));
      }
    }
    return entries;
  }

  private static void requireEmpty(Engine target) {
    try (EngineTransaction tx = target.begin(true);
        KeyValueCursor c = tx.scan(new byte[0], Keyspace.end(target), ScanOptions.FORWARD.withLimit(1))) {
      if (c.hasNext()) {
        throw new InvalidArgumentException("restore target is not empty; restore only into an empty store",
            Map.of("engine", target.name(), "firstKey", io.tito.ByteArrays.printable(c.next().key())));
      }
    }
  }

  private static void clearAfterFailure(Engine target) {
    // Written bounds must fit the key limit: clear below the largest accepted key, then that key.
    byte[] last = java.util.Arrays.copyOf(Keyspace.end(target), target.limits().maxKeySize());
    try (EngineTransaction tx = target.begin(false)) {
      tx.clearRange(new byte[0], last);
      tx.clear(last);
      tx.commit();
    } catch (RuntimeException e) {
      LOG.error("clearing the target after a failed restore failed; clear it before retrying", e);
    }
  }

  /** The chain to read and which of its commits to apply. */
  record Plan(List<BackupManifest> chain, long maxVersion, Instant maxTime, long version) {
    boolean includes(ChangeFeed.Commit c) {
      return c.version() <= maxVersion && (maxTime == null || c.timeMillis() <= maxTime.toEpochMilli());
    }
  }

  /** Writes into one transaction at a time, committing when the budget is used up. */
  private static final class Batch {
    private final Engine target;
    private final long budget;
    private EngineTransaction tx;
    private long bytes;
    private int ops;

    Batch(Engine target, long budget) {
      this.target = target;
      this.budget = budget;
    }

    void set(byte[] key, byte[] value) {
      make(key.length + value.length).set(key, value);
    }

    void clear(byte[] key) {
      make(key.length).clear(key);
    }

    void clearRange(byte[] begin, byte[] end) {
      make(begin.length + end.length).clearRange(begin, end);
    }

    /** The transaction to write {@code n} more bytes to: a new one if the current one is full. */
    private EngineTransaction make(long n) {
      long size = n + 16;
      if (ops > 0 && (ops >= MAX_ENTRIES_PER_TRANSACTION || bytes + size > budget)) {
        commit();
      }
      bytes += size;
      ops++;
      return open();
    }

    private EngineTransaction open() {
      if (tx == null) {
        tx = target.begin(false);
      }
      return tx;
    }

    void commit() {
      if (tx != null) {
        try (EngineTransaction t = tx) {
          tx = null;
          t.commit();
        }
      }
      bytes = 0;
      ops = 0;
    }
  }

}
