package io.tito.bench.peers;

import io.tito.log.LogConsumer;
import io.tito.log.LogProducer;
import io.tito.log.LogRecord;
import io.tito.log.ProducerOptions;
import io.tito.log.StartPosition;
import io.tito.log.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The local log against Chronicle Queue, side by side in one run on the same disk (issue 14):
 *
 * <ol>
 *   <li>unsynced append + tail: one thread appends {@code records} 100-byte records as fast as
 *       it can while another tails them; records/s until the tailer has them all;
 *   <li>tail latency: the appender paced at {@code rate} records/s for {@code paced} records,
 *       each stamped with {@link System#nanoTime()}; the tailer's delay, p50 / p99 / p99.9;
 *   <li>durable appends: tito-log with {@link SyncPolicy#everyAppend()} from 1 and 4 threads for
 *       {@code seconds} each (group commit), against the machine's fsync floor ({@link
 *       MachineFloor}).
 * </ol>
 *
 * Run with {@code bin/log-bench [records=N] [paced=N] [rate=N] [seconds=N] [rounds=N]
 * [parts=tail,durable] [systems=chronicle,tito-log]}: the
 * script adds the JVM flags Chronicle Queue needs on Java 21.
 */
public final class LogBench {

  private static final int SIZE = 100;

  private LogBench() {}

  /** One log system: an appender (one thread) and a tailer (another thread). */
  private interface Subject extends AutoCloseable {
    String name();

    Appender appender();

    Tailer tailer();

    @Override
    void close();
  }

  private interface Appender {
    void append(byte[] record);
  }

  /** Reads the next record into {@code into}; false if none yet (the caller waits as it likes). */
  private interface Tailer {
    boolean next(byte[] into);

    /** Waits for and reads the next record, as a consumer of this system would. */
    void take(byte[] into);
  }

  public static void main(String[] args) throws Exception {
    int records = 2_000_000;
    int paced = 200_000;
    int rate = 20_000;
    int seconds = 5;
    int rounds = 2;
    String parts = "tail,durable";
    List<String> systems = List.of("chronicle", "tito-log");
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "records" -> records = Integer.parseInt(kv[1]);
        case "paced" -> paced = Integer.parseInt(kv[1]);
        case "rate" -> rate = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Integer.parseInt(kv[1]);
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "parts" -> parts = kv[1];
        case "systems" -> systems = List.of(kv[1].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    Path root = Path.of("target", "log-bench").toAbsolutePath();
    delete(root);
    Files.createDirectories(root);
    System.out.println("dir " + root + ", load average " + loadAverage());
    int run = 0;
    for (int round = 1; round <= rounds && parts.contains("tail"); round++) {
      for (String system : systems) {
        Path dir = root.resolve(system + "-" + run++);
        try (Subject s = open(system, dir)) {
          double perSecond = throughput(s, records);
          System.out.printf(Locale.ROOT, "round %d %-9s unsynced append+tail: %,.0f records/s%n",
              round, system, perSecond);
        }
        delete(dir);
        dir = root.resolve(system + "-" + run++);
        try (Subject s = open(system, dir)) {
          Latencies l = latency(s, paced, rate);
          System.out.printf(Locale.ROOT,
              "round %d %-9s tail latency at %,d/s: p50 %d us, p99 %d us, p99.9 %d us, max %d us%n",
              round, system, rate, l.microsAt(50), l.microsAt(99), l.microsAt(99.9),
              l.microsAt(100));
        }
        delete(dir);
      }
      System.out.println("load average " + loadAverage());
    }
    if (!parts.contains("durable")) {
      delete(root);
      return;
    }
    MachineFloor.Outcome floor = MachineFloor.run(Files.createDirectories(root.resolve("floor")),
        5000, 64);
    System.out.printf(Locale.ROOT, "machine floor: %,.0f fsync'd 100-byte appends/s%n",
        floor.appendsPerSecond());
    for (int threads : new int[] {1, 4}) {
      Path dir = root.resolve("durable-" + threads);
      System.out.printf(Locale.ROOT, "tito-log durable (every append), %d thread(s): %,.0f appends/s%n",
          threads, durable(dir, threads, seconds));
      delete(dir);
    }
    System.out.println("load average " + loadAverage());
    delete(root);
  }

  private static Subject open(String system, Path dir) throws IOException {
    Files.createDirectories(dir);
    return system.equals("chronicle") ? chronicle(dir) : titoLog(dir);
  }

  private static double throughput(Subject s, int records) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    AtomicLong doneAt = new AtomicLong();
    Thread tail = Thread.ofPlatform().name("tailer").start(() -> {
      Tailer t = s.tailer();
      byte[] in = new byte[SIZE];
      ready.countDown();
      for (int i = 0; i < records; i++) {
        t.take(in);
      }
      doneAt.set(System.nanoTime());
    });
    ready.await();
    Appender a = s.appender();
    byte[] out = new byte[SIZE];
    long start = System.nanoTime();
    for (int i = 0; i < records; i++) {
      ByteBuffer.wrap(out).putLong(0, i);
      a.append(out);
    }
    tail.join();
    return records / ((doneAt.get() - start) / 1e9);
  }

  private static Latencies latency(Subject s, int records, int rate) throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    long[] delays = new long[records];
    Thread tail = Thread.ofPlatform().name("tailer").start(() -> {
      Tailer t = s.tailer();
      byte[] in = new byte[SIZE];
      ByteBuffer view = ByteBuffer.wrap(in);
      ready.countDown();
      for (int i = 0; i < records; i++) {
        t.take(in);
        delays[i] = System.nanoTime() - view.getLong(0);
      }
    });
    ready.await();
    Appender a = s.appender();
    byte[] out = new byte[SIZE];
    ByteBuffer view = ByteBuffer.wrap(out);
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long next = System.nanoTime();
    for (int i = 0; i < records; i++) {
      next += interval;
      long wait;
      while ((wait = next - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      view.putLong(0, System.nanoTime());
      a.append(out);
    }
    tail.join();
    Latencies l = new Latencies();
    for (int i = records / 10; i < records; i++) { // the first tenth warms up
      l.recordNanos(delays[i]);
    }
    return l;
  }

  private static double durable(Path dir, int threads, int seconds) throws Exception {
    try (LogProducer p = LogProducer.open(ProducerOptions.builder(dir).build())) {
      AtomicLong count = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> ts = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        ts.add(Thread.ofPlatform().start(() -> {
          byte[] rec = new byte[SIZE];
          while (System.nanoTime() < end) {
            p.append(rec);
            count.incrementAndGet();
          }
        }));
      }
      for (Thread t : ts) {
        t.join();
      }
      return count.get() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static Subject titoLog(Path dir) {
    LogProducer producer = LogProducer.open(ProducerOptions.builder(dir)
        .syncPolicy(SyncPolicy.os()).build());
    List<LogConsumer> consumers = new ArrayList<>();
    return new Subject() {
      @Override
      public String name() {
        return "tito-log";
      }

      @Override
      public Appender appender() {
        return producer::append;
      }

      @Override
      public Tailer tailer() {
        LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest());
        consumers.add(c);
        return new Tailer() {
          @Override
          public boolean next(byte[] into) {
            LogRecord r = c.poll();
            if (r == null) {
              return false;
            }
            System.arraycopy(r.payload(), 0, into, 0, SIZE);
            return true;
          }

          @Override
          public void take(byte[] into) {
            try {
              System.arraycopy(c.take().payload(), 0, into, 0, SIZE);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        };
      }

      @Override
      public void close() {
        consumers.forEach(LogConsumer::close);
        producer.close();
      }
    };
  }

  private static Subject chronicle(Path dir) {
    ChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile()).build();
    List<AutoCloseable> closing = new ArrayList<>();
    return new Subject() {
      @Override
      public String name() {
        return "chronicle";
      }

      @Override
      public Appender appender() {
        ExcerptAppender app = q.createAppender();
        closing.add(app);
        return record -> {
          try (DocumentContext dc = app.writingDocument()) {
            dc.wire().bytes().write(record);
          }
        };
      }

      @Override
      public Tailer tailer() {
        ExcerptTailer t = q.createTailer();
        closing.add(t);
        return new Tailer() {
          @Override
          public boolean next(byte[] into) {
            try (DocumentContext dc = t.readingDocument()) {
              if (!dc.isPresent()) {
                return false;
              }
              dc.wire().bytes().read(into);
              return true;
            }
          }

          @Override
          public void take(byte[] into) {
            while (!next(into)) {
              Thread.onSpinWait(); // Chronicle tailers poll; there is no blocking read
            }
          }
        };
      }

      @Override
      public void close() {
        for (AutoCloseable c : closing) {
          try {
            c.close();
          } catch (Exception ignored) {
            // closing a benchmark
          }
        }
        q.close();
      }
    };
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
