package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * What durable commits from {@code threads} writers that each wait for their own commit can reach
 * on this disk with no application work at all: the ceiling of issue 17's "durable outbox at 3x
 * the fsync'd-append rate" (4 producers, one event per transaction, each producer blocked until its
 * commit is durable), measured beside that floor in one process.
 *
 * <ul>
 *   <li><b>floor</b>: {@link MachineFloor}, one thread, 100-byte appends, {@code force(false)} each;
 *   <li><b>file group</b>: {@code threads} threads append 100 bytes each to one preallocated,
 *       already written file (no metadata to commit) and wait for a shared {@code force(false)}
 *       that covers their append (leader/follower group commit: whoever finds no sync running
 *       syncs everything appended so far). Zero work between commits: the best any engine's
 *       log can do for these writers;
 *   <li><b>rocksdb sync</b>: {@code threads} threads each write a 200-byte one-key batch with
 *       {@code sync=true} into a raw RocksDB (its own write-group commit), with two recycled logs
 *       settled as Tito's benchmark stores are ({@code recycle_log_file_num=2}, a 72 MiB log
 *       flushed twice so that the timed log reuses its written blocks);
 *   <li><b>rocksdb syncWal group</b>: the same store and batches written without sync under a
 *       lock, made durable by the file group's leader/follower commit calling {@code syncWal()}:
 *       the way Tito's {@code group} durability syncs, with none of Tito's work.
 * </ul>
 *
 * <p>Arguments {@code key=value}: {@code threads=4}, {@code commits=8000} per figure after
 * {@code warmup=2000}, {@code rounds=9}, {@code dir}. Each round measures the floor (1,500
 * appends), the three figures in turn, then the floor again, and divides each figure by the mean
 * of its two floors (a shared disk's rate moves within a minute). Output: one line per round, then
 * the median of each ratio over the rounds. Every figure checks afterwards that exactly its
 * commits were made (the file's records, the store's keys), or the run fails.
 *
 * @throws IllegalArgumentException (from {@code main}) for a count that is not a positive number
 */
public final class SyncCeiling {

  private SyncCeiling() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> s = BenchArgs.parse(args);
    int threads = positive(s, "threads", "4");
    int commits = positive(s, "commits", "8000");
    int warmup = positive(s, "warmup", "2000");
    int rounds = positive(s, "rounds", "9");
    Path dir = s.containsKey("dir") ? Path.of(s.get("dir")) : Files.createTempDirectory("tito-ceiling-");
    RocksDB.loadLibrary();
    List<double[]> ratios = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      Path round = Files.createDirectories(dir.resolve("round-" + r));
      double before = floor(round.resolve("floor-before"));
      double file = fileGroup(round.resolve("group.dat"), threads, warmup, commits);
      double rocks = rocksGroup(round.resolve("rocksdb"), threads, warmup, commits, false);
      double wal = rocksGroup(round.resolve("rocksdb-wal"), threads, warmup, commits, true);
      double after = floor(round.resolve("floor-after"));
      double floor = (before + after) / 2;
      ratios.add(new double[] {file / floor, rocks / floor, wal / floor});
      System.out.printf(Locale.ROOT, "round %d: floor %,.0f / %,.0f appends/s | file group x%d %,.0f"
              + " commits/s (%.2f of floor) | rocksdb sync x%d %,.0f (%.2f) | rocksdb syncWal group"
              + " x%d %,.0f (%.2f)%n",
          r, before, after, threads, file, file / floor, threads, rocks, rocks / floor, threads,
          wal, wal / floor);
    }
    System.out.printf(Locale.ROOT, "median of %d rounds, x floor: file group %.2f | rocksdb sync %.2f"
            + " | rocksdb syncWal group %.2f%n",
        rounds, median(ratios, 0), median(ratios, 1), median(ratios, 2));
  }

  private static int positive(Map<String, String> args, String key, String fallback) {
    String value = args.getOrDefault(key, fallback);
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a positive whole number, got " + value);
  }

  /** Fails the run unless {@code made} commits were made, as asked. */
  private static void expect(String figure, long made, long asked) {
    if (made != asked) {
      throw new IllegalStateException(figure + ": " + made + " commits made, " + asked + " asked");
    }
  }

  private static double floor(Path dir) throws IOException {
    return MachineFloor.run(Files.createDirectories(dir), 1500, 1).appendsPerSecond();
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Commits per second of the zero-work file group commit. */
  static double fileGroup(Path file, int threads, int warmup, int commits) throws Exception {
    long bytes = 100L * (warmup + commits + threads);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long at = 0; at < bytes; at += zeros.capacity()) {
        zeros.clear();
        while (zeros.hasRemaining()) {
          ch.write(zeros);
        }
      }
      ch.force(true);
      GroupLog log = GroupLog.of(ch);
      runWriters(threads, warmup, log::commit);
      long start = System.nanoTime();
      runWriters(threads, commits, log::commit);
      double perSecond = commits / ((System.nanoTime() - start) / 1e9);
      expect("file group", log.synced(), (long) warmup + commits);
      return perSecond;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Commits per second of raw RocksDB durable writes from {@code threads} threads: each batch
   * written with {@code sync=true} (RocksDB's own write groups), or, {@code walGroup}, written
   * without sync under a lock and made durable by a leader's {@code syncWal()} (Tito's way).
   */
  static double rocksGroup(Path dir, int threads, int warmup, int commits, boolean walGroup)
      throws Exception {
    try (Options o = new Options().setCreateIfMissing(true).setRecycleLogFileNum(2);
        RocksDB db = RocksDB.open(o, dir.toString());
        WriteOptions relaxed = new WriteOptions().setSync(false).setDisableWAL(false);
        WriteOptions sync = new WriteOptions().setSync(true);
        FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
      byte[] filler = new byte[64 * 1024];
      for (int i = 0; i < 72 * 16; i++) {
        db.put(relaxed, ("filler-" + i).getBytes(), filler);
      }
      db.flush(wait);
      db.put(relaxed, "marker".getBytes(), filler);
      db.flush(wait);
      AtomicLong ids = new AtomicLong();
      byte[] value = new byte[200];
      Commit c;
      if (walGroup) {
        GroupLog log = new GroupLog(n -> {
          try (WriteBatch b = new WriteBatch()) {
            b.put(("k-" + ids.getAndIncrement()).getBytes(), value);
            db.write(relaxed, b);
          }
        }, db::syncWal);
        c = log::commit;
      } else {
        c = () -> {
          try (WriteBatch b = new WriteBatch()) {
            b.put(("k-" + ids.getAndIncrement()).getBytes(), value);
            db.write(sync, b);
          }
        };
      }
      runWriters(threads, warmup, c);
      long start = System.nanoTime();
      runWriters(threads, commits, c);
      double perSecond = commits / ((System.nanoTime() - start) / 1e9);
      long keys = 0;
      try (org.rocksdb.RocksIterator it = db.newIterator()) {
        for (it.seek("k-".getBytes()); it.isValid() && it.key()[0] == 'k'; it.next()) {
          keys++;
        }
      }
      expect(walGroup ? "rocksdb syncWal group" : "rocksdb sync", keys, (long) warmup + commits);
      return perSecond;
    }
  }

  /** One durable commit. */
  interface Commit {
    void run() throws IOException, RocksDBException, InterruptedException;
  }

  /** {@code total} commits shared between {@code threads} threads. */
  static void runWriters(int threads, int total, Commit commit) throws Exception {
    AtomicLong left = new AtomicLong(total);
    List<Thread> ts = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          while (left.getAndDecrement() > 0) {
            commit.run();
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a writer failed", failures.get(0));
    }
  }

  /** Writes one record (called under the group's lock, so records are written in order). */
  interface Append {
    void append(long n) throws IOException, RocksDBException;
  }

  /** Makes everything appended so far durable. */
  interface Sync {
    void sync() throws IOException, RocksDBException;
  }

  /** Leader/follower group commit: appends under a lock, one sync at a time covering all before it. */
  static final class GroupLog {
    private final Append append;
    private final Sync sync;
    private long appended;
    private long synced;
    private boolean syncing;

    GroupLog(Append append, Sync sync) {
      this.append = append;
      this.sync = sync;
    }

    /** A group log over {@code ch}: 100-byte records at consecutive positions, {@code force(false)}. */
    static GroupLog of(FileChannel ch) {
      ByteBuffer record = ByteBuffer.allocate(100);
      return new GroupLog(n -> {
        record.clear();
        record.putLong(0, n);
        long at = n * 100;
        while (record.hasRemaining()) {
          at += ch.write(record, at);
        }
      }, () -> ch.force(false));
    }

    /** Records covered by a finished sync. */
    synchronized long synced() {
      return synced;
    }

    void commit() throws IOException, RocksDBException, InterruptedException {
      long mine;
      synchronized (this) {
        append.append(appended);
        mine = ++appended;
      }
      while (true) {
        long target;
        synchronized (this) {
          while (syncing && synced < mine) {
            wait();
          }
          if (synced >= mine) {
            return;
          }
          syncing = true;
          target = appended;
        }
        try {
          sync.sync();
        } finally {
          synchronized (this) {
            syncing = false;
            synced = Math.max(synced, target);
            notifyAll();
          }
        }
      }
    }
  }
}
