package io.tito.log;

import io.tito.InvalidArgumentException;
import io.tito.log.internal.CheckpointFile;
import io.tito.log.internal.DirLock;
import io.tito.log.internal.Dirs;
import io.tito.log.internal.LogSignal;
import io.tito.log.internal.SegmentFormat;
import io.tito.log.internal.SegmentIndex;
import io.tito.log.internal.SegmentWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The one producer of a log directory: appends records, each with the next dense offset, to the
 * active segment file, rolls segments, applies retention and the {@link SyncPolicy}.
 *
 * <p>Thread-safe: threads of one process may share it; appends are totally ordered. Only one
 * producer per directory may be open at a time, across processes (a lock file, {@code
 * producer.lock}); a second gets {@link LogLockedException}. Opening recovers the log: a torn
 * tail of the active segment is truncated, corruption before it raises {@link
 * LogCorruptedException}.
 */
public final class LogProducer implements AutoCloseable {

  private static final String LOCK_FILE = "producer.lock";
  private static final long RETENTION_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final ProducerOptions options;
  private final Path dir;
  private final DirLock lock;
  private final LogSignal signal;
  private final boolean forcing;
  private final boolean everyAppend;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final ReentrantLock syncLock = new ReentrantLock();
  private final AtomicLong durableEnd = new AtomicLong();
  private final ScheduledExecutorService periodic;
  private volatile SegmentWriter writer;
  private volatile long publishedEnd;
  private volatile boolean closed;

  private LogProducer(ProducerOptions options, DirLock lock) {
    this.options = options;
    this.dir = options.directory();
    this.lock = lock;
    this.signal = LogSignal.of(dir);
    this.everyAppend = options.syncPolicy() instanceof SyncPolicy.EveryAppend;
    this.forcing = !(options.syncPolicy() instanceof SyncPolicy.Os);
    if (options.syncPolicy() instanceof SyncPolicy.Periodic p) {
      periodic = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tito-log-sync " + dir.getFileName());
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(1, p.interval().toMillis());
      periodic.scheduleWithFixedDelay(this::periodicSync, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      periodic = null;
    }
  }

  /**
   * Opens (creating if needed) the log in {@link ProducerOptions#directory()} for appending.
   *
   * @throws LogLockedException if another producer holds the directory
   * @throws LogCorruptedException if a segment is corrupt before its synced position
   */
  public static LogProducer open(ProducerOptions options) {
    if (options == null) {
      throw new InvalidArgumentException("producer options must be given", Map.of());
    }
    Path dir = options.directory();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new LogException("cannot create log directory " + dir + ": " + e.getMessage(), e);
    }
    DirLock lock = DirLock.acquire(dir.resolve(LOCK_FILE), "another producer");
    LogProducer p = new LogProducer(options, lock);
    try {
      p.recover();
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void recover() {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path tmp : files.filter(f -> f.toString().endsWith(".seg.tmp")).toList()) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new LogException("cannot list log directory " + dir + ": " + e.getMessage(), e);
    }
    TreeMap<Long, Path> segs = Dirs.segments(dir);
    long now = System.currentTimeMillis();
    if (segs.isEmpty()) {
      writer = SegmentWriter.create(dir, 0, options.segmentBytes(), now, forcing);
    } else {
      Map.Entry<Long, Path> previous = segs.lowerEntry(segs.lastKey());
      if (previous != null) {
        // a crash between creating the last segment and sealing this one: seal it now
        try (SegmentWriter w = SegmentWriter.recover(dir, previous.getKey(), previous.getValue())) {
          if (!w.endsWithMarker()) {
            if (w.nextOffset() != segs.lastKey()) {
              throw new LogCorruptedException(previous.getValue(), w.nextOffset(), w.position(),
                  "segment ends before the next segment's base offset " + segs.lastKey());
            }
            w.seal(now, forcing);
          }
        }
      }
      SegmentWriter w = SegmentWriter.recover(dir, segs.lastKey(), segs.lastEntry().getValue());
      if (w.endsWithMarker()) {
        long next = w.nextOffset();
        w.close();
        w = SegmentWriter.create(dir, next, options.segmentBytes(), now, forcing);
      }
      writer = w;
      if (forcing) {
        w.segment().force(w.segment().capacity());
      }
    }
    publishedEnd = writer.nextOffset();
    durableEnd.set(forcing ? publishedEnd : writer.base()); // earlier segments: sealed (or OS's)
    applyAgeRetention(now);
  }

  /**
   * Appends {@code payload} and returns its offset. With {@link SyncPolicy#everyAppend()} the
   * record is durable when this returns.
   *
   * @throws InvalidArgumentException if {@code payload} is null or longer than {@link
   *     ProducerOptions#maxRecordBytes()}
   * @throws LogFullException see {@link MinimumRetention}
   * @throws LogException if the producer is closed or the disk fails
   */
  public long append(byte[] payload) {
    if (payload == null) {
      throw new InvalidArgumentException("payload must be given", Map.of());
    }
    return append(payload, 0, payload.length);
  }

  /** Appends {@code length} bytes of {@code payload} from {@code from}; as {@link #append(byte[])}. */
  public long append(byte[] payload, int from, int length) {
    if (payload == null || from < 0 || length < 0 || from > payload.length - length) {
      throw new InvalidArgumentException("payload range out of bounds",
          Map.of("from", from, "length", length));
    }
    if (length > options.maxRecordBytes()) {
      throw new InvalidArgumentException("record larger than a segment can hold",
          Map.of("length", length, "maxRecordBytes", options.maxRecordBytes()));
    }
    long offset;
    appendLock.lock();
    try {
      if (closed) {
        throw new LogException("log producer of " + dir + " is closed");
      }
      if (!writer.fits(length)) {
        roll();
      }
      offset = writer.append(payload, from, length);
      publishedEnd = offset + 1;
    } finally {
      appendLock.unlock();
    }
    signal.signal();
    if (everyAppend) {
      awaitDurable(offset + 1);
    }
    return offset;
  }

  /** Appends {@code value} encoded by {@code codec}; as {@link #append(byte[])}. */
  public <T> long append(T value, RecordCodec<T> codec) {
    if (codec == null) {
      throw new InvalidArgumentException("codec must be given", Map.of());
    }
    return append(codec.encode(value));
  }

  /** Forces every record appended so far to the disk, whatever the sync policy. */
  public void sync() {
    awaitDurable(publishedEnd);
  }

  /** The offset the next appended record gets. */
  public long endOffset() {
    return publishedEnd;
  }

  /**
   * Records below this offset are known durable: forced by this producer, or on open with a
   * forcing policy. Under {@link SyncPolicy#os()} only {@link #sync()} moves it past the records
   * of the active segment.
   */
  public long durableOffset() {
    return durableEnd.get();
  }

  /** The log directory. */
  public Path directory() {
    return dir;
  }

  private void awaitDurable(long target) {
    while (durableEnd.get() < target) {
      syncLock.lock();
      try {
        if (durableEnd.get() < target) {
          forceNow();
        }
      } finally {
        syncLock.unlock();
      }
    }
  }

  /** Under syncLock: one force covering everything published before it started. */
  private void forceNow() {
    long target = publishedEnd;
    SegmentWriter w = writer; // a roll (which needs syncLock) already forced older segments
    int position = w.position();
    if (durableEnd.get() < w.base()) {
      forceSealedSince(durableEnd.get(), w.base()); // sealed unforced (OS policy), then sync()
    }
    w.segment().force(position);
    w.segment().markSynced(position);
    durableEnd.accumulateAndGet(target, Math::max);
  }

  /** Forces the sealed segments holding offsets {@code [from, below)} (fsync of each file). */
  private void forceSealedSince(long from, long below) {
    TreeMap<Long, Path> segs = Dirs.segments(dir);
    Long first = segs.floorKey(from);
    for (Map.Entry<Long, Path> e : segs.tailMap(first == null ? 0L : first, true).entrySet()) {
      if (e.getKey() >= below) {
        break;
      }
      try (FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.READ)) {
        ch.force(true);
      } catch (java.nio.file.NoSuchFileException deleted) {
        // removed by retention meanwhile: nothing to keep
      } catch (IOException ex) {
        throw new LogException("cannot force log segment " + e.getValue() + ": " + ex.getMessage(),
            ex);
      }
    }
  }

  private void periodicSync() {
    if (closed) {
      return;
    }
    try {
      awaitDurable(publishedEnd);
    } catch (RuntimeException e) {
      // the next append or sync reports the failure
    }
  }

  /** Under appendLock: retention by size, then a new segment, then sealing the old one. */
  private void roll() {
    long now = System.currentTimeMillis();
    SegmentWriter old = writer;
    makeRoom(old);
    SegmentWriter next = SegmentWriter.create(dir, old.nextOffset(), options.segmentBytes(), now,
        forcing);
    syncLock.lock();
    try {
      old.seal(now, forcing);
      writer = next;
      if (forcing) {
        durableEnd.accumulateAndGet(old.nextOffset(), Math::max);
      }
    } finally {
      syncLock.unlock();
    }
    old.close();
    applyAgeRetention(now);
  }

  /** Deletes sealed segments, oldest first, until a new segment fits in maxTotalBytes. */
  private void makeRoom(SegmentWriter active) {
    if (options.maxTotalBytes() == Long.MAX_VALUE) {
      return;
    }
    long deadline = System.nanoTime() + options.blockTimeout().toNanos();
    while (true) {
      TreeMap<Long, Path> segs = Dirs.segments(dir);
      segs.remove(active.base());
      long total = (long) active.position() + SegmentFormat.END_MARKER_BYTES
          + options.segmentBytes();
      for (Path p : segs.values()) {
        total += size(p);
      }
      if (total <= options.maxTotalBytes() || segs.isEmpty()) {
        return;
      }
      Map.Entry<Long, Path> oldest = segs.firstEntry();
      Long after = segs.higherKey(oldest.getKey());
      long end = after != null ? after : active.base();
      if (mayDelete(end)) {
        delete(oldest.getKey(), oldest.getValue());
        continue;
      }
      if (options.minimumRetention() == MinimumRetention.FAIL || System.nanoTime() > deadline) {
        throw new LogFullException("log " + dir + " is full (" + total + " bytes > maxTotalBytes "
            + options.maxTotalBytes() + ") and its oldest segment holds records below offset "
            + end + " that an exactly-once consumer has not committed");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(RETENTION_PARK_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new LogException("interrupted while waiting for consumers to free space in " + dir);
      }
    }
  }

  private void applyAgeRetention(long now) {
    if (options.maxSegmentAge() == null) {
      return;
    }
    TreeMap<Long, Path> segs = Dirs.segments(dir);
    segs.remove(writer.base());
    for (Map.Entry<Long, Path> e : segs.entrySet()) {
      long sealed = sealedMillis(e.getValue());
      Long after = segs.higherKey(e.getKey());
      long end = after != null ? after : writer.base();
      if (sealed == 0 || now - sealed < options.maxSegmentAge().toMillis() || !mayDelete(end)) {
        return;
      }
      delete(e.getKey(), e.getValue());
    }
  }

  /** Whether minimum retention allows deleting records below {@code end}. */
  private boolean mayDelete(long end) {
    if (options.minimumRetention() == MinimumRetention.NONE) {
      return true;
    }
    Path ckpts = Dirs.checkpoints(dir);
    if (!Files.isDirectory(ckpts)) {
      return true;
    }
    try (Stream<Path> files = Files.list(ckpts)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ckpt")).toList()) {
        long c = CheckpointFile.read(f);
        if (c < end) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new LogException("cannot read checkpoints of " + dir + ": " + e.getMessage(), e);
    }
  }

  private void delete(long base, Path segment) {
    try {
      Files.deleteIfExists(segment);
      SegmentIndex.delete(dir, base);
    } catch (IOException e) {
      throw new LogException("cannot delete log segment " + segment + ": " + e.getMessage(), e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0; // deleted meanwhile
    }
  }

  private static long sealedMillis(Path segment) {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(b, SegmentFormat.SEALED_MILLIS_AT);
      return b.position() == 8 ? b.getLong(0) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Stops appending; with a forcing sync policy, forces what was appended first. Releases the
   * directory lock. Idempotent.
   */
  @Override
  public void close() {
    appendLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      appendLock.unlock();
    }
    if (periodic != null) {
      periodic.shutdownNow();
    }
    try {
      if (writer != null) {
        if (forcing) {
          syncLock.lock();
          try {
            forceNow();
          } finally {
            syncLock.unlock();
          }
        }
        writer.close();
      }
    } finally {
      lock.close();
      signal.signal();
    }
  }
}
