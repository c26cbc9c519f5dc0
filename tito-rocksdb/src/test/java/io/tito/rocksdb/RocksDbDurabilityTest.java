package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.get;
import static io.tito.rocksdb.TestStores.put;
import static io.tito.rocksdb.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ConflictException;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Data survives close/reopen in every mode, concurrent GROUP commits, and a killed process. */
class RocksDbDurabilityTest {

  private static final Logger log = LoggerFactory.getLogger(RocksDbDurabilityTest.class);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Durability.class)
  void reopenFindsDataIntact(Durability durability) {
    try (RocksDbEngine engine = TestStores.open(dir, durability)) {
      for (int i = 0; i < 200; i++) {
        put(engine, "k" + i, "v" + i);
      }
      try (EngineTransaction tx = engine.begin(false)) {
        tx.clearRange(b("k1"), b("k2"));
        tx.set(b("k150"), b("again"));
        tx.commit();
      }
    }
    try (RocksDbEngine engine = TestStores.open(dir, durability)) {
      assertThat(get(engine, "k0")).isEqualTo("v0");
      assertThat(get(engine, "k199")).isNull();
      assertThat(get(engine, "k150")).isEqualTo("again");
      assertThat(get(engine, "k2")).isEqualTo("v2");
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.scan(b("k"), b("l"), ScanOptions.FORWARD).toList()).hasSize(200 - 111 + 1);
      }
      put(engine, "after", "reopen");
    }
    try (RocksDbEngine engine = TestStores.open(dir, Durability.SYNC)) {
      assertThat(get(engine, "after")).isEqualTo("reopen");
    }
  }

  @Test
  void groupModeWithEightConcurrentCommittersKeepsEveryCommit() throws Exception {
    int threads = 8;
    int perThread = 250;
    long syncs;
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      CyclicBarrier start = new CyclicBarrier(threads);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers.add(Thread.ofPlatform().start(() -> {
          try {
            start.await();
            for (int i = 0; i < perThread; i++) {
              put(engine, "t" + id + "-" + i, "v" + i);
              counter(engine, id); // contended key: conflicts are retried, never lost
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }));
      }
      for (Thread w : workers) {
        w.join();
      }
      assertThat(failure.get()).isNull();
      syncs = engine.backgroundSyncs();
    }
    int commits = threads * perThread * 2;
    log.info("GROUP: {} commits shared {} WAL syncs", commits, syncs);
    assertThat(syncs).isPositive().isLessThanOrEqualTo(commits);
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          assertThat(get(engine, "t" + t + "-" + i)).isEqualTo("v" + i);
        }
      }
      assertThat(get(engine, "counter")).isEqualTo(String.valueOf(threads * perThread));
    }
  }

  private static void counter(RocksDbEngine engine, int id) {
    while (true) {
      try (EngineTransaction tx = engine.begin(false)) {
        String v = s(tx.get(b("counter")));
        tx.set(b("counter"), b(String.valueOf(v == null ? 1 : Integer.parseInt(v) + 1)));
        tx.commit();
        return;
      } catch (ConflictException retry) {
        Thread.onSpinWait();
      }
    }
  }

  /**
   * In every mode a commit is in the operating system's WAL when {@code commit} returns, so a
   * killed process (SIGKILL, no clean close) loses nothing, even with NONE and a PERIODIC interval
   * far longer than the test.
   */
  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"NONE", "PERIODIC", "GROUP"})
  void killedProcessLosesNoCommit(Durability durability) throws Exception {
    Process child = ChildProcess.start(ChildProcess.Writer.class, dir.toString(), durability.name(), "300");
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("child output").isEqualTo("COMMITTED 300");
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (RocksDbEngine engine = TestStores.open(dir, durability)) {
      for (int i = 0; i < 300; i++) {
        assertThat(get(engine, "c" + i)).isEqualTo("v" + i);
      }
    }
  }

  /**
   * A killed process loses nothing it committed into a reused WAL file (one that still holds an
   * earlier log's records past its new end): recovery replays up to the last commit, not to the
   * first leftover record before it, and replays no leftover.
   */
  @Test
  void killedProcessLosesNoCommitWrittenIntoAReusedLog() throws Exception {
    Process child = ChildProcess.start(ChildProcess.ReusedLogWriter.class, dir.toString(), "300");
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).as("child output").isEqualTo("COMMITTED 300");
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      for (int i = 0; i < 300; i++) {
        assertThat(get(engine, "c" + i)).isEqualTo("new-" + i);
      }
      assertThat(get(engine, "between")).isEqualTo("flushes");
    }
  }
}
