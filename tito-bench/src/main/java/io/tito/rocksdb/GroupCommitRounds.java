package io.tito.rocksdb;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The group syncer's rounds without a disk: {@code threads} committers each do a fixed amount of
 * CPU work, write a version and wait for it to be durable through {@link WalSyncer}, whose "sync"
 * parks for a fixed time. With the disk's noise out, the time from one sync's end to the next
 * one's start (wake-ups, gathering, the work) shows in the commits per second and the round's
 * length, so two builds of the syncer can be compared in a few seconds. In this package because
 * the syncer is package-private; on the class path the split package is allowed.
 *
 * <p>Arguments: {@code threads syncMicros workIterations seconds} (the work is a loop of
 * multiply-adds, about 1 ns per iteration on the development VM); the first 3 s are warm-up.
 *
 * <pre>{@code
 * java -cp <bin/build-module tito-bench> io.tito.rocksdb.GroupCommitRounds 4 250 60000 10
 * }</pre>
 */
public final class GroupCommitRounds {

  private static volatile long sink;

  private GroupCommitRounds() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: GroupCommitRounds threads syncMicros workIterations seconds");
    }
    int threads = Integer.parseInt(args[0]);
    long syncNanos = Long.parseLong(args[1]) * 1_000;
    int work = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    AtomicLong written = new AtomicLong();
    AtomicLong syncs = new AtomicLong();
    AtomicLong commits = new AtomicLong();
    WalSyncer syncer = WalSyncer.group(() -> {
      syncs.incrementAndGet();
      LockSupport.parkNanos(syncNanos);
    }, Path.of("group-commit-rounds"), null);
    Object writeLock = new Object();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Thread[] committers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      committers[t] = Thread.ofPlatform().start(() -> {
        long x = 0;
        while (System.nanoTime() < end) {
          for (int i = 0; i < work; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
          }
          sink = x;
          long v;
          synchronized (writeLock) {
            v = written.incrementAndGet();
            syncer.written(v);
          }
          syncer.awaitDurable(v);
          commits.incrementAndGet();
        }
      });
    }
    Thread.sleep(3_000);
    long c0 = commits.get();
    long s0 = syncs.get();
    long t0 = System.nanoTime();
    for (Thread t : committers) {
      t.join();
    }
    long nanos = System.nanoTime() - t0;
    long c = commits.get() - c0;
    long s = syncs.get() - s0;
    syncer.stop();
    System.out.printf(Locale.ROOT, "%d committers, sync %d us, work %d: %,.0f commits/s, %.2f per"
            + " sync, round %.0f us%n", threads, syncNanos / 1_000, work, c / (nanos / 1e9),
        c / (double) s, nanos / 1e3 / s);
  }
}
