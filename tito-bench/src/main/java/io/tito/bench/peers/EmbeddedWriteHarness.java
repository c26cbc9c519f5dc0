package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.ModelStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.Topics;
import io.tito.bench.peers.WriteSystems.Person;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * PeerBench scenario 1 for Tito alone, sized for steady figures and profiling: one transaction =
 * one model insert (two indexes) and, unless left out, one publish, on RocksDB, one thread.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.peers.EmbeddedWriteHarness [key=value ...]};
 * settings and defaults: {@code durability=none} (RocksDB durability), {@code tx=50000} (timed
 * transactions per round), {@code warmup=20000}, {@code rounds=3} (the store stays open across
 * rounds, ids continue), {@code work=both} ({@code both}, {@code insert}: the model insert only,
 * or {@code publish}: the publish only), {@code dir} (parent of the scratch directory). Prints
 * per round transactions per second, and per transaction the writer thread's CPU time, the
 * process's CPU time (both steadier than wall time on a shared machine) and the bytes the writer
 * allocated; then the medians. Afterwards it checks the records and events stored equal the transactions run, or fails. {@code pre=N} first
 * writes N transactions to another store with durability {@code sync} and closes it, as PeerBench
 * does before its relaxed run.
 */
public final class EmbeddedWriteHarness {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private EmbeddedWriteHarness() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> s = BenchArgs.parse(args);
    String durability = s.getOrDefault("durability", "none");
    int tx = Integer.parseInt(s.getOrDefault("tx", "50000"));
    int warmup = Integer.parseInt(s.getOrDefault("warmup", "20000"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "3"));
    String work = s.getOrDefault("work", "both");
    boolean insert = !work.equals("publish");
    boolean publish = !work.equals("insert");
    Path parent = Paths.get(s.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
    int pre = Integer.parseInt(s.getOrDefault("pre", "0"));
    Path dir = Files.createTempDirectory(parent, "tito-write");
    if (pre > 0) {
      try (Tito t = Tito.builder()
          .engine("rocksdb", Map.of("path", dir.resolve("pre").toString(), "durability", "sync"))
          .build()) {
        ModelStore<Person> people =
            DataStore.models().model(WriteSystems.PEOPLE).open(t).store(WriteSystems.PEOPLE);
        t.topics().createTopic(WriteSystems.TOPIC);
        for (long i = 0; i < pre; i++) {
          write(t, people, t.topics(), i, true, true);
        }
      }
    }
    try (Tito tito = Tito.builder()
        .engine("rocksdb", Map.of("path", dir.resolve("run").toString(), "durability", durability))
        .build()) {
      ModelStore<Person> people =
          DataStore.models().model(WriteSystems.PEOPLE).open(tito).store(WriteSystems.PEOPLE);
      Topics topics = tito.topics();
      topics.createTopic(WriteSystems.TOPIC);
      long i = 0;
      for (long end = warmup; i < end; i++) {
        write(tito, people, topics, i, insert, publish);
      }
      double[] perSecond = new double[rounds];
      double[] threadCpu = new double[rounds];
      double[] processCpu = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long proc0 = OS.getProcessCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        for (long end = i + tx; i < end; i++) {
          write(tito, people, topics, i, insert, publish);
        }
        perSecond[r] = tx / ((System.nanoTime() - start) / 1e9);
        threadCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / tx;
        processCpu[r] = (OS.getProcessCpuTime() - proc0) / 1e3 / tx;
        double alloc = (THREADS.getCurrentThreadAllocatedBytes() - alloc0) / (double) tx;
        System.out.printf(Locale.ROOT,
            "round %d: %,.0f tx/s; per tx: writer thread CPU %.1f µs, process CPU %.1f µs,"
                + " writer allocated %,.0f bytes%n",
            r + 1, perSecond[r], threadCpu[r], processCpu[r], alloc);
      }
      check(people, topics, i, insert, publish);
      Arrays.sort(perSecond);
      Arrays.sort(threadCpu);
      Arrays.sort(processCpu);
      System.out.printf(Locale.ROOT,
          "durability=%s work=%s tx=%d warmup=%d median %,.0f tx/s, writer CPU %.1f µs/tx,"
              + " process CPU %.1f µs/tx%n",
          durability, work, tx, warmup, perSecond[rounds / 2], threadCpu[rounds / 2],
          processCpu[rounds / 2]);
    } finally {
      PeerBench.delete(dir);
    }
  }

  private static void write(Tito tito, ModelStore<Person> people, Topics topics, long i,
      boolean insert, boolean publish) {
    Person p = WriteSystems.person(i);
    tito.inTransaction(tx -> {
      if (insert) {
        people.insert(tx, p);
      }
      if (publish) {
        topics.publish(tx, WriteSystems.TOPIC, Message.of(p.email(), WriteSystems.event(i)));
      }
    });
  }

  private static void check(ModelStore<Person> people, Topics topics, long expected,
      boolean insert, boolean publish) {
    long records = insert ? people.count("by_email") : 0;
    long events = 0;
    if (publish) {
      int partitions = topics.topic(WriteSystems.TOPIC).partitions();
      for (int p = 0; p < partitions; p++) {
        events += topics.head(WriteSystems.TOPIC, p);
      }
    }
    if ((insert && records != expected) || (publish && events != expected)) {
      throw new IllegalStateException(String.format(
          "expected %d records and events, found %d and %d", expected, records, events));
    }
  }
}
