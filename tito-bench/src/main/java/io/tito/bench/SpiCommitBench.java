package io.tito.bench;

import io.tito.spi.CommitSequencer;
import io.tito.spi.SnapshotRegistry;
import io.tito.spi.WriteSet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The engine SPI's own cost per commit, without a storage engine: builds a {@link WriteSet} the
 * shape of a 10-event append (10 event keys and one per-stream version key under long shared
 * prefixes, plus one stamped {@code $all} key) and commits it through a {@link CommitSequencer}
 * whose applier does nothing, with {@code writers} transactions open at staggered snapshots (so
 * every commit is checked against and recorded in the conflict history, and pruned from it later,
 * as with concurrent appenders). Reports the calling thread's CPU time per commit and per event,
 * median of the rounds.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.SpiCommitBench [key=value ...]}; settings and
 * defaults: {@code writers=4}, {@code lag=8} (commits between a writer's begin and its commit),
 * {@code events=10}, {@code commits=200000} per round, {@code rounds=5}, {@code warmup=200000}.
 */
public final class SpiCommitBench {

  private SpiCommitBench() {}

  public static void main(String[] args) {
    java.util.Map<String, String> s = io.tito.bench.BenchArgs.parse(args);
    int writers = Integer.parseInt(s.getOrDefault("writers", "4"));
    int lag = Integer.parseInt(s.getOrDefault("lag", "8"));
    int events = Integer.parseInt(s.getOrDefault("events", "10"));
    int commits = Integer.parseInt(s.getOrDefault("commits", "200000"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "5"));
    int warmup = Integer.parseInt(s.getOrDefault("warmup", "200000"));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    CommitSequencer sequencer = new CommitSequencer(0);
    Driver d = new Driver(sequencer, writers, lag, events);
    d.run(warmup);
    double[] nsPerCommit = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long cpu0 = mx.getCurrentThreadCpuTime();
      d.run(commits);
      nsPerCommit[r] = (mx.getCurrentThreadCpuTime() - cpu0) / (double) commits;
      System.out.printf(Locale.ROOT, "round %d: %.0f ns CPU/commit (tracked writes %d)%n", r + 1,
          nsPerCommit[r], sequencer.trackedWrites());
    }
    Arrays.sort(nsPerCommit);
    double median = nsPerCommit[rounds / 2];
    System.out.printf(Locale.ROOT, "median: %.0f ns CPU/commit, %.0f ns/event (writers=%d lag=%d events=%d)%n",
        median, median / events, writers, lag, events);
  }

  /** Round-robins commits over writers begun {@code lag} commits earlier. */
  private static final class Driver {
    private final CommitSequencer sequencer;
    private final int events;
    private final SnapshotRegistry.Registration[] open;
    private final int lag;
    private final byte[] eventPrefix = "\u0002tito\u0000events\u0000stream\u0000".getBytes(StandardCharsets.ISO_8859_1);
    private final byte[] allPrefix = "\u0002tito\u0000events\u0000all\u0000".getBytes(StandardCharsets.ISO_8859_1);
    private final byte[] payload = "{\"amount\":12345}".getBytes(StandardCharsets.UTF_8);
    private long step;

    Driver(CommitSequencer sequencer, int writers, int lag, int events) {
      this.sequencer = sequencer;
      this.events = events;
      this.lag = Math.max(lag, writers);
      this.open = new SnapshotRegistry.Registration[this.lag];
    }

    void run(int commits) {
      for (int i = 0; i < commits; i++) {
        int slot = (int) (step % lag);
        SnapshotRegistry.Registration r = open[slot];
        if (r != null) {
          sequencer.commit(r, writes(step), (w, v) -> {});
          sequencer.end(r);
        }
        open[slot] = sequencer.begin();
        step++;
      }
    }

    private WriteSet writes(long n) {
      WriteSet w = new WriteSet();
      long slot = n % lag;
      long append = n / lag; // this writer's appends so far
      long stream = (append / 10) * lag + slot; // a new stream every 10 appends, one per writer
      byte[] streamKey = key(eventPrefix, stream, -1);
      for (int e = 0; e < events; e++) {
        byte[] k = key(eventPrefix, stream, (append % 10) * events + e);
        w.lookup(k);
        w.put(k, payload);
      }
      w.lookup(streamKey);
      w.put(streamKey, payload);
      w.putStamped(allPrefix, payload);
      return w;
    }

    private static byte[] key(byte[] prefix, long stream, long version) {
      byte[] k = Arrays.copyOf(prefix, prefix.length + 16);
      for (int i = 0; i < 8; i++) {
        k[prefix.length + i] = (byte) (stream >>> (56 - 8 * i));
        k[prefix.length + 8 + i] = (byte) (version >>> (56 - 8 * i));
      }
      return k;
    }
  }
}
