package io.tito.bench;

import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.StorageException;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.ModelStore;
import io.tito.etcd.EtcdEngine;
import io.tito.etcd.EtcdEngineOptions;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.spi.Engine;
import io.tito.tuple.Subspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The etcd engine on a three-member local cluster beside the JDBC engine on the local PostgreSQL,
 * in one run, through the public API: point writes (one new 100-byte value per transaction),
 * model inserts (the {@link ModelBenchmark} person with a unique and a composite index),
 * read-modify-write transactions (10 point reads and a 20-key scan, one write: the workload where
 * serializable compares cost most), and the outbox end to end (publish in transactions of 10
 * events from 2 threads, one consumer group of batch handlers, until it has every event).
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.EtcdBesidePostgres [key=value ...]}; settings and
 * defaults: {@code stores=postgresql,etcd,etcd-serializable} ({@code etcd-serializable}: the etcd
 * engine with {@link EtcdEngineOptions#serializable()} on), {@code seconds=5} (per measurement),
 * {@code threads=1,4}, {@code workloads=point,model,rmw,outbox}, {@code events=5000} (outbox), {@code rounds=2} (stores alternate, round by
 * round). Needs the {@code etcd} binary ({@code bin/etcd-install}) and PostgreSQL on
 * 127.0.0.1:5432 (database {@code test}). Results go to standard output.
 */
public final class EtcdBesidePostgres {

  private final Map<String, String> settings;
  private final BenchEtcdCluster cluster;
  private final byte[] value = new byte[100];

  private EtcdBesidePostgres(Map<String, String> settings, BenchEtcdCluster cluster) {
    this.settings = settings;
    this.cluster = cluster;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = BenchArgs.parse(args);
    try (BenchEtcdCluster cluster = new BenchEtcdCluster()) {
      EtcdBesidePostgres bench = new EtcdBesidePostgres(settings, cluster);
      System.out.printf(Locale.ROOT, "cpus=%d load=%s%n", Runtime.getRuntime().availableProcessors(), load());
      int rounds = Integer.parseInt(settings.getOrDefault("rounds", "2"));
      for (int round = 1; round <= rounds; round++) {
        for (String store : settings.getOrDefault("stores", "postgresql,etcd,etcd-serializable").split(",")) {
          bench.runAll(round, store.trim());
        }
      }
      System.out.printf(Locale.ROOT, "load=%s%n", load());
    }
    System.exit(0);
  }

  private boolean runs(String workload) {
    return List.of(settings.getOrDefault("workloads", "point,model,rmw,outbox").split(",")).contains(workload);
  }

  private void runAll(int round, String store) throws Exception {
    int seconds = Integer.parseInt(settings.getOrDefault("seconds", "5"));
    for (String t : settings.getOrDefault("threads", "1,4").split(",")) {
      int threads = Integer.parseInt(t.trim());
      if (runs("point")) {
        pointWrites(round, store, threads, seconds);
      }
      if (runs("model")) {
        modelInserts(round, store, threads, seconds);
      }
      if (runs("rmw")) {
        readModifyWrite(round, store, threads, seconds);
      }
    }
    if (runs("outbox")) {
      try (Store s = open(store)) {
        outbox(round, store, s.tito);
      }
    }
  }

  private void pointWrites(int round, String store, int threads, int seconds) throws Exception {
    try (Store s = open(store)) {
      Subspace space = s.tito.root().subspace("bench", "points");
      AtomicLong next = new AtomicLong();
      report(round, store, "point writes", threads, "tx/s", rate(seconds, threads, () -> {
        byte[] key = space.pack(next.incrementAndGet());
        s.tito.inTransaction(tx -> tx.set(key, value));
      }));
    }
  }

  private void modelInserts(int round, String store, int threads, int seconds) throws Exception {
    try (Store s = open(store)) {
      ModelStore<ModelBenchmark.Person> people =
          DataStore.models().model(ModelBenchmark.PEOPLE).open(s.tito).store(ModelBenchmark.PEOPLE);
      AtomicLong next = new AtomicLong();
      report(round, store, "model inserts (2 indexes)", threads, "inserts/s", rate(seconds, threads,
          () -> people.insert(ModelBenchmark.person(next.getAndIncrement()))));
    }
  }

  private void readModifyWrite(int round, String store, int threads, int seconds) throws Exception {
    try (Store s = open(store)) {
      Subspace space = s.tito.root().subspace("bench", "rmw");
      s.tito.inTransaction(tx -> {
        for (int i = 0; i < 1000; i++) {
          tx.set(space.pack(i), value);
        }
      });
      report(round, store, "read-modify-write (10 gets, 20-key scan, 1 set)", threads, "tx/s",
          rate(seconds, threads, () -> s.tito.inTransaction(tx -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < 10; i++) {
              tx.get(space.pack(r.nextInt(1000)));
            }
            int from = r.nextInt(980);
            try (KeyValueCursor c = tx.scan(new KeyRange(space.pack(from), space.pack(from + 20)))) {
              while (c.hasNext()) {
                c.next();
              }
            }
            tx.set(space.pack(r.nextInt(1000)), value);
          })));
    }
  }

  private void outbox(int round, String store, Tito tito) throws Exception {
    int total = Integer.parseInt(settings.getOrDefault("events", "5000"));
    Topics topics = tito.topics();
    topics.createTopic("e2e", TopicConfig.DEFAULTS.withPartitions(8));
    LongAdder seen = new LongAdder();
    SubscribeOptions options = SubscribeOptions.builder().concurrency(8).fetchSize(256).build();
    try (Subscription sub = topics.subscribeBatches("e2e", "g", (List<Event> es) -> seen.add(es.size()), options)) {
      Thread.sleep(1500); // the worker takes its leases
      long start = System.nanoTime();
      int publishers = 2;
      int perTx = 10;
      byte[] payload = new byte[100];
      try (ExecutorService pool = Executors.newFixedThreadPool(publishers)) {
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
          fs.add(pool.submit(() -> {
            for (int done = 0; done < total / publishers; done += perTx) {
              tito.inTransaction(tx -> {
                for (int i = 0; i < perTx; i++) {
                  topics.publish(tx, "e2e", Message.of("k" + ThreadLocalRandom.current().nextInt(1000), payload));
                }
              });
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      }
      double published = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (seen.sum() < total) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the group did not finish: " + seen.sum() + " of " + total);
        }
        Thread.sleep(1);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      report(round, store, "outbox publish (10 events/tx, 2 threads)", 2, "events/s", total / published);
      report(round, store, "outbox end to end (1 group)", 2, "events/s", total / secs);
    }
  }

  private static double rate(int seconds, int threads, Runnable op) throws Exception {
    long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < warmUntil) {
      op.run();
    }
    LongAdder done = new LongAdder();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            op.run();
            done.increment();
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    return done.sum() / ((System.nanoTime() - start) / 1e9);
  }

  private static void report(int round, String store, String what, int threads, String unit, double v) {
    System.out.printf(Locale.ROOT, "round=%d store=%-18s %-50s threads=%d %10.0f %s load=%s%n",
        round, store, what, threads, v, unit, load());
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0];
    } catch (Exception e) {
      return "?";
    }
  }

  /** One fresh store: a new table on PostgreSQL, a new namespace on the cluster. */
  private final class Store implements AutoCloseable {
    final Tito tito;
    private final String table;

    Store(Tito tito, String table) {
      this.tito = tito;
      this.table = table;
    }

    @Override
    public void close() throws Exception {
      tito.close();
      if (table != null) {
        BenchServers.dropTables("postgresql", table);
      }
    }
  }

  private Store open(String store) {
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    return switch (store) {
      case "postgresql" -> {
        String table = BenchServers.freshTable("tito_etcdbench_");
        Engine e = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(BenchServers.url(store))
            .user(BenchServers.user(store)).table(table).build());
        yield new Store(Tito.open(e), table);
      }
      case "etcd", "etcd-serializable" -> new Store(Tito.open(openEtcd("bench/" + id + "/",
          store.equals("etcd-serializable"))), null);
      default -> throw new IllegalArgumentException("unknown store " + store);
    };
  }

  private Engine openEtcd(String namespace, boolean serializable) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return EtcdEngine.open(EtcdEngineOptions.builder(cluster.endpoints()).namespace(namespace)
            .maxTxnOps(BenchEtcdCluster.MAX_TXN_OPS).requestTimeout(Duration.ofSeconds(10))
            .serializable(serializable).build());
      } catch (StorageException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }
}
