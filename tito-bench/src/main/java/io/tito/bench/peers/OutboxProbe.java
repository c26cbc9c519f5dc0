package io.tito.bench.peers;

import io.tito.ConflictException;
import io.tito.Tito;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the durable outbox's time goes on RocksDB (issue 17): scenario 2's run (4 producers, one
 * event per transaction, a topic of 8 partitions, one per-event subscription) on a RocksDB engine
 * at durability {@code group} wrapped in a counting engine. Prints commits and commit-time
 * conflicts of the producers and of everything else (the consumer's checkpoint, lease and
 * membership commits), write-ahead log syncs, syncs per second and commits per sync.
 *
 * <p>Arguments {@code key=value}: {@code events=20000}, {@code warmup=20000} (not counted), {@code producers=4}, {@code dir}.
 */
public final class OutboxProbe {

  private static final String TOPIC = "probe";
  static final LongAdder PUBLISH_NANOS = new LongAdder();

  private OutboxProbe() {}

  public static void main(String[] args) throws Exception {
    int events = 20000;
    int producers = 4;
    int warmup = 20000;
    Path dir = null;
    for (String a : args) {
      String v = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("events=")) {
        events = Integer.parseInt(v);
      } else if (a.startsWith("warmup=")) {
        warmup = Integer.parseInt(v);
      } else if (a.startsWith("producers=")) {
        producers = Integer.parseInt(v);
      } else if (a.startsWith("dir=")) {
        dir = Path.of(v);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("tito-probe-");
    }
    RocksDbEngine rocks = RocksDbEngine.open(dir);
    Counting engine = new Counting(rocks);
    Method syncs = RocksDbEngine.class.getDeclaredMethod("backgroundSyncs");
    syncs.setAccessible(true);
    AtomicInteger handled = new AtomicInteger();
    try (Tito tito = Tito.open(engine)) {
      Topics topics = tito.topics();
      topics.createTopic(TOPIC, TopicConfig.DEFAULTS);
      Subscription sub = topics.subscribe(TOPIC, "g", e -> {
        handled.incrementAndGet();
      }, SubscribeOptions.DEFAULTS);
      while (sub.ownedPartitions().size() < TopicConfig.DEFAULTS.partitions()) {
        Thread.sleep(5);
      }
      publish(tito, topics, producers, 0, warmup);
      while (handled.get() < warmup) {
        Thread.sleep(1);
      }
      handled.set(0);
      Counts before = engine.snapshot((Long) syncs.invoke(rocks));
      PUBLISH_NANOS.reset();
      engine.producerCommitNanos.reset();
      engine.producerBodyNanos.reset();
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long[] ticksStart = userSystemTicks();
      long start = System.nanoTime();
      publish(tito, topics, producers, warmup, warmup + events);
      long published = System.nanoTime();
      while (handled.get() < events) {
        Thread.sleep(1);
      }
      long end = System.nanoTime();
      long cpu = os.getProcessCpuTime() - cpuStart;
      long[] ticks = userSystemTicks();
      System.out.printf(Locale.ROOT, "user %.2f s, system %.2f s%n",
          (ticks[0] - ticksStart[0]) / 100.0, (ticks[1] - ticksStart[1]) / 100.0);
      Counts after = engine.snapshot((Long) syncs.invoke(rocks));
      double seconds = (end - start) / 1e9;
      long pc = after.producerCommits - before.producerCommits;
      long pf = after.producerConflicts - before.producerConflicts;
      long oc = after.otherCommits - before.otherCommits;
      long of = after.otherConflicts - before.otherConflicts;
      long s = after.syncs - before.syncs;
      System.out.printf(Locale.ROOT,
          "events %d in %.2f s (%,.0f events/s; publishing took %.2f s)%n"
              + "producer commit attempts %d (%.3f per event), conflicts %d (%.3f per event)%n"
              + "other commit attempts %d (%.3f per event), conflicts %d%n"
              + "syncs %d (%,.0f/s), commit attempts per sync %.2f, events per sync %.2f%n"
              + "process CPU %.2f s: %.0f us per event (producer and consumer side)%n"
              + "read-only transactions %d (%.3f per event: the consumer's fetches)%n",
          events, seconds, events / seconds, (published - start) / 1e9,
          pc, pc / (double) events, pf, pf / (double) events, oc, oc / (double) events, of,
          s, s / seconds, (pc + oc) / (double) s, events / (double) s,
          cpu / 1e9, cpu / 1e3 / events, after.readOnly - before.readOnly,
          (after.readOnly - before.readOnly) / (double) events);
      System.out.printf(Locale.ROOT,
          "per publish (wall, us): whole %.0f = begin..commit %.0f + commit (apply and sync wait) %.0f"
              + " + rest (backoff, runner) %.0f, per commit attempt: commit %.0f%n",
          PUBLISH_NANOS.sum() / 1e3 / events, engine.producerBodyNanos.sum() / 1e3 / events,
          engine.producerCommitNanos.sum() / 1e3 / events,
          (PUBLISH_NANOS.sum() - engine.producerBodyNanos.sum() - engine.producerCommitNanos.sum())
              / 1e3 / events, engine.producerCommitNanos.sum() / 1e3 / pc);
      try {
        Method g = RocksDbEngine.class.getDeclaredMethod("gatherCounts");
        g.setAccessible(true);
        long[] gc = (long[]) g.invoke(rocks);
        System.out.printf(Locale.ROOT, "gathers %d, ran out of time %d (whole run)%n", gc[0], gc[1]);
      } catch (NoSuchMethodException e) {
        System.out.println("no gathering in this build");
      }
      sub.close(Duration.ofSeconds(30));
    }
  }

  /** Publishes events {@code from} (inclusive) to {@code to}, each in its own transaction. */
  static void publish(Tito tito, Topics topics, int producers, int from, int to) throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    try (ExecutorService pool = Executors.newFixedThreadPool(producers,
        r -> new Thread(r, "producer-" + System.identityHashCode(r)))) {
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        fs.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
            byte[] payload = ByteBuffer.allocate(100).putLong(i).array();
            Message m = Message.of("k" + i, payload);
            long t0 = System.nanoTime();
            tito.inTransaction(tx -> topics.publish(tx, TOPIC, m));
            PUBLISH_NANOS.add(System.nanoTime() - t0);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  /** utime and stime of this process in clock ticks (100/s on Linux), from /proc/self/stat. */
  static long[] userSystemTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  record Counts(long producerCommits, long producerConflicts, long otherCommits,
      long otherConflicts, long syncs, long readOnly) {}

  /** Counts commits and commit-time conflicts by thread kind. */
  static final class Counting extends ForwardingEngine {
    final LongAdder producerCommits = new LongAdder();
    final LongAdder producerConflicts = new LongAdder();
    final LongAdder otherCommits = new LongAdder();
    final LongAdder otherConflicts = new LongAdder();
    final LongAdder producerCommitNanos = new LongAdder();
    final LongAdder producerBodyNanos = new LongAdder();
    final LongAdder readOnly = new LongAdder();

    Counting(RocksDbEngine delegate) {
      super(delegate);
    }

    Counts snapshot(long syncs) {
      return new Counts(producerCommits.sum(), producerConflicts.sum(), otherCommits.sum(),
          otherConflicts.sum(), syncs, readOnly.sum());
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      EngineTransaction tx = super.begin(readOnly);
      if (readOnly) {
        this.readOnly.increment();
        return tx;
      }
      long begun = System.nanoTime();
      return new ForwardingEngineTransaction(tx) {
        @Override
        public void commit() {
          boolean producer = Thread.currentThread().getName().startsWith("producer-");
          (producer ? producerCommits : otherCommits).increment();
          long t0 = System.nanoTime();
          if (producer) {
            producerBodyNanos.add(t0 - begun);
          }
          try {
            super.commit();
          } catch (ConflictException e) {
            (producer ? producerConflicts : otherConflicts).increment();
            throw e;
          } finally {
            if (producer) {
              producerCommitNanos.add(System.nanoTime() - t0);
            }
          }
        }
      };
    }
  }
}
