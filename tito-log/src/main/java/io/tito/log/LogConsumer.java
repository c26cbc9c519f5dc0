package io.tito.log;

import io.tito.Backoff;
import io.tito.InvalidArgumentException;
import io.tito.log.internal.CheckpointFile;
import io.tito.log.internal.DirLock;
import io.tito.log.internal.Dirs;
import io.tito.log.internal.LogReader;
import io.tito.log.internal.LogSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Reads a log in order, from one thread. Three styles:
 *
 * <ul>
 *   <li>{@link #atLeastOnce}: from the oldest record, the latest or an offset; its position is
 *       not saved (a new consumer starts again from its {@link StartPosition}).
 *   <li>{@link #exactlyOnce}: named by an id; its checkpoint (the offset of the next record not
 *       consumed) is saved durably with each {@link Outcome#COMMIT} or {@link #commit}, in {@code
 *       checkpoints/id-<id>.ckpt}, and a new consumer with the same id resumes from it. One
 *       consumer per id at a time, across processes (a lock file); a second gets {@link
 *       LogLockedException}.
 *   <li>{@link #globalExactlyOnce}: the one global exactly-once consumer of the log, the same with
 *       {@code checkpoints/global.ckpt}.
 * </ul>
 *
 * <p>Records come from {@link #poll()} / {@link #poll(int)} (non-blocking), {@link #take} and the
 * {@link #iterator()} (blocking), or {@link #process} / {@link #processAvailable} with a {@link
 * RecordProcessor}. Blocking waits spin for a few microseconds, then park on a signal that a
 * producer of this process raises on every append; a producer in another process is seen within
 * the bounded park ({@value #PARK_MILLIS} ms). No busy polling.
 *
 * <p>For an exactly-once consumer, a record is consumed only when committed (or skipped): {@link
 * #poll} and {@link #take} move the read position but not the checkpoint; without {@link #commit}
 * the records come again after a restart. {@link #process} commits for you, so that nothing is
 * processed twice unless the processing itself crashed before its commit; to make the effect and
 * the checkpoint one atomic step, keep the effect in a Tito store ({@link StoreLogConsumer}).
 */
public final class LogConsumer implements AutoCloseable {

  /** The bounded park of a blocking wait, in milliseconds. */
  public static final long PARK_MILLIS = 10;
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  /** Default backoff between {@link Outcome#RETRY} attempts: 10 ms doubling to 1 s, equal jitter. */
  public static final Backoff DEFAULT_BACKOFF =
      Backoff.of(Duration.ofMillis(10), Duration.ofSeconds(1), Backoff.Jitter.EQUAL);

  private final Path dir;
  private final LogSignal signal;
  private final DirLock lock;
  private final CheckpointFile checkpointFile;
  private final boolean forceCheckpoints;
  private final LogReader reader;
  private Backoff backoff = DEFAULT_BACKOFF;
  private LogRecord pending;
  private long checkpoint;
  private boolean closed;

  private LogConsumer(Path dir, DirLock lock, CheckpointFile checkpointFile,
      boolean forceCheckpoints, long start) {
    this.dir = dir;
    this.signal = LogSignal.of(dir);
    this.lock = lock;
    this.checkpointFile = checkpointFile;
    this.forceCheckpoints = forceCheckpoints;
    this.checkpoint = start;
    this.reader = LogReader.open(dir, start);
  }

  /**
   * An at-least-once consumer of the log in {@code dir} from {@code start}. The log need not
   * exist yet (it is then empty).
   *
   * @throws InvalidArgumentException if {@code start} is beyond the end of the log
   */
  public static LogConsumer atLeastOnce(Path dir, StartPosition start) {
    requireDir(dir);
    if (start == null) {
      throw new InvalidArgumentException("start position must be given", Map.of());
    }
    long oldest = LogReader.oldestOffset(dir);
    long first = switch (start) {
      case StartPosition.Oldest o -> oldest;
      case StartPosition.Latest l -> LogReader.endOffset(dir);
      case StartPosition.At at -> {
        long end = LogReader.endOffset(dir);
        if (at.offset() > end) {
          throw new InvalidArgumentException("start offset is beyond the end of the log",
              Map.of("offset", at.offset(), "end", end, "dir", dir.toString()));
        }
        yield Math.max(at.offset(), oldest);
      }
    };
    return new LogConsumer(dir, null, null, false, first);
  }

  /**
   * The exactly-once consumer named {@code consumerId} of the log in {@code dir}: resumes after
   * its last commit, or starts at the oldest retained record the first time.
   *
   * @throws InvalidArgumentException if the id is not 1-100 of {@code [A-Za-z0-9._-]}
   * @throws LogLockedException if a consumer with this id is open (here or in another process)
   * @throws LogException if records after its checkpoint were deleted by retention
   */
  public static LogConsumer exactlyOnce(Path dir, String consumerId) {
    return openExactlyOnce(dir, "id-" + requireId(consumerId), true, -1);
  }

  /** The global exactly-once consumer of the log in {@code dir}; as {@link #exactlyOnce}. */
  public static LogConsumer globalExactlyOnce(Path dir) {
    return openExactlyOnce(dir, "global", true, -1);
  }

  static String requireId(String consumerId) {
    if (consumerId == null || !ID.matcher(consumerId).matches()) {
      throw new InvalidArgumentException("consumer id must be 1-100 of [A-Za-z0-9._-]",
          Map.of("consumerId", String.valueOf(consumerId)));
    }
    return consumerId;
  }

  /**
   * Opens an exactly-once consumer named {@code name}; {@code known} is a checkpoint kept
   * elsewhere (a Tito store) or -1 to use the file's.
   */
  static LogConsumer openExactlyOnce(Path dir, String name, boolean forceCheckpoints, long known) {
    requireDir(dir);
    Path ckpts = Dirs.checkpoints(dir);
    try {
      Files.createDirectories(ckpts);
    } catch (IOException e) {
      throw new LogException("cannot create " + ckpts + ": " + e.getMessage(), e);
    }
    DirLock lock = DirLock.acquire(ckpts.resolve(name + ".lock"),
        "another consumer named " + name);
    CheckpointFile file = null;
    try {
      file = CheckpointFile.open(ckpts.resolve(name + ".ckpt"));
      long oldest = LogReader.oldestOffset(dir);
      long start = known >= 0 ? known : file.initial() >= 0 ? file.initial() : oldest;
      if (start < oldest) {
        throw new LogException("records " + start + " to " + (oldest - 1) + " of log " + dir
            + " were deleted by retention before consumer " + name + " committed them");
      }
      long end = LogReader.endOffset(dir);
      if (start > end) {
        throw new LogException("checkpoint " + start + " of consumer " + name
            + " is beyond the end " + end + " of log " + dir);
      }
      if (file.initial() != start) {
        file.save(start, forceCheckpoints);
      }
      return new LogConsumer(dir, lock, file, forceCheckpoints, start);
    } catch (RuntimeException e) {
      if (file != null) {
        file.close();
      }
      lock.close();
      throw e;
    }
  }

  private static void requireDir(Path dir) {
    if (dir == null) {
      throw new InvalidArgumentException("log directory must be given", Map.of());
    }
  }

  /** Sets the backoff between {@link Outcome#RETRY} attempts; default {@link #DEFAULT_BACKOFF}. */
  public LogConsumer retryBackoff(Backoff value) {
    if (value == null) {
      throw new InvalidArgumentException("backoff must be given", Map.of());
    }
    backoff = value;
    return this;
  }

  /** Whether commits are saved (exactly-once). */
  public boolean isExactlyOnce() {
    return checkpointFile != null;
  }

  /** The offset of the next record not yet committed (for at-least-once: not yet consumed). */
  public long checkpoint() {
    return checkpoint;
  }

  /** The offset of the next record {@link #poll} returns. */
  public long position() {
    return pending != null ? pending.offset() : reader.nextOffset();
  }

  /**
   * The next record, or null if there is none yet. Does not wait.
   *
   * @throws LogCorruptedException if the next record is corrupt
   */
  public LogRecord poll() {
    ensureOpen();
    if (pending != null) {
      LogRecord r = pending;
      pending = null;
      return r;
    }
    return reader.poll();
  }

  /** Up to {@code max} records that are there now (possibly none). Does not wait. */
  public List<LogRecord> poll(int max) {
    if (max < 0) {
      throw new InvalidArgumentException("max must not be negative", Map.of("max", max));
    }
    List<LogRecord> out = new ArrayList<>(Math.min(max, 1024));
    while (out.size() < max) {
      LogRecord r = poll();
      if (r == null) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  /** The next record, waiting as long as needed. */
  public LogRecord take() throws InterruptedException {
    return take(Long.MAX_VALUE);
  }

  /** The next record, or null if none came within {@code timeout}. */
  public LogRecord take(Duration timeout) throws InterruptedException {
    if (timeout == null || timeout.isNegative()) {
      throw new InvalidArgumentException("timeout must be zero or positive",
          Map.of("timeout", String.valueOf(timeout)));
    }
    return take(saturatedNanos(timeout));
  }

  private LogRecord take(long timeoutNanos) throws InterruptedException {
    long start = System.nanoTime();
    LogRecord r = poll();
    while (r == null) {
      long waited = System.nanoTime() - start;
      if (waited >= timeoutNanos) {
        return null;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (waited < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        long park = Math.min(timeoutNanos - waited, TimeUnit.MILLISECONDS.toNanos(PARK_MILLIS));
        signal.await(reader::ready, park);
      }
      r = poll();
    }
    return r;
  }

  /**
   * A blocking iterator: {@code hasNext} waits for the next record (and answers false only if
   * this thread is interrupted, leaving the interrupt flag set). Commits nothing.
   */
  public Iterator<LogRecord> iterator() {
    return new Iterator<>() {
      private LogRecord next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        return true;
      }

      @Override
      public LogRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException("interrupted");
        }
        LogRecord r = next;
        next = null;
        return r;
      }
    };
  }

  /**
   * Marks every record up to {@code record} consumed: an exactly-once consumer saves its
   * checkpoint ({@code record.offset() + 1}) durably before returning.
   *
   * @throws InvalidArgumentException if {@code record} was not read by this consumer yet
   */
  public void commit(LogRecord record) {
    ensureOpen();
    if (record == null || record.offset() >= position()) {
      throw new InvalidArgumentException("commit a record this consumer has read",
          Map.of("offset", record == null ? "null" : record.offset(), "position", position()));
    }
    advanceTo(record.offset() + 1);
  }

  void advanceTo(long next) {
    if (next <= checkpoint) {
      return;
    }
    if (checkpointFile != null) {
      checkpointFile.save(next, forceCheckpoints);
    }
    checkpoint = next;
    signal.signal();
  }

  /**
   * Processes records as they come, waiting for new ones, until {@code max} records were
   * committed or skipped or {@code fn} answers {@link Outcome#BREAK}.
   *
   * @param max how many records to consume; {@link Long#MAX_VALUE} for no limit
   * @return the number of records committed or skipped
   */
  public long process(long max, RecordProcessor fn) throws InterruptedException {
    return run(max, fn, true);
  }

  /**
   * Processes the records that are there now, at most {@code max}, without waiting for more.
   *
   * @return the number of records committed or skipped
   */
  public long processAvailable(int max, RecordProcessor fn) {
    try {
      return run(max, fn, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private long run(long max, RecordProcessor fn, boolean block) throws InterruptedException {
    if (fn == null || max < 0) {
      throw new InvalidArgumentException("processing needs a function and max >= 0",
          Map.of("max", max));
    }
    long done = 0;
    while (done < max) {
      LogRecord r = block ? take() : poll();
      if (r == null) {
        break;
      }
      Outcome o = attempt(r, fn);
      if (o == Outcome.BREAK) {
        break;
      }
      done++;
    }
    return done;
  }

  /** Offers {@code r} until an outcome other than RETRY; BREAK puts it back. */
  private Outcome attempt(LogRecord r, RecordProcessor fn) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Outcome o;
      try {
        o = fn.process(r, attempt);
      } catch (RuntimeException | Error e) {
        pending = r;
        throw e;
      }
      if (o == null) {
        pending = r;
        throw new InvalidArgumentException("a record processor must return an outcome",
            Map.of("offset", r.offset()));
      }
      switch (o) {
        case COMMIT, SKIP -> {
          advanceTo(r.offset() + 1);
          return o;
        }
        case BREAK -> {
          pending = r;
          return o;
        }
        case RETRY -> pause(attempt, r);
        default -> throw new IllegalStateException(o.toString());
      }
    }
  }

  private void pause(int failures, LogRecord r) throws InterruptedException {
    long nanos = backoff.delayNanos(failures);
    long until = System.nanoTime() + nanos;
    while (nanos > 0) {
      LockSupport.parkNanos(nanos);
      if (Thread.interrupted()) {
        pending = r;
        throw new InterruptedException();
      }
      nanos = until - System.nanoTime();
    }
  }

  /** Puts back a record taken but not consumed, so that it comes next again. */
  void putBack(LogRecord r) {
    pending = r;
  }

  /** The log directory. */
  public Path directory() {
    return dir;
  }

  private void ensureOpen() {
    if (closed) {
      throw new LogException("log consumer of " + dir + " is closed");
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Releases the consumer's files and its id lock. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    reader.close();
    if (checkpointFile != null) {
      checkpointFile.close();
    }
    if (lock != null) {
      lock.close();
    }
  }
}
