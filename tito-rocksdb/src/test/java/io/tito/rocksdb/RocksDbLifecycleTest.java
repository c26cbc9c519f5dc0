package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.get;
import static io.tito.rocksdb.TestStores.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ClosedException;
import io.tito.ConflictException;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening, closing, and what happens to transactions and cursors when the engine closes. */
class RocksDbLifecycleTest {

  @TempDir Path dir;

  @Test
  void openAndClose200TimesLeaksNoFileDescriptors() {
    Path store = dir.resolve("store");
    try (RocksDbEngine warmUp = TestStores.open(store, Durability.GROUP)) {
      put(warmUp, "k", "v");
    }
    int before = TestStores.openFileDescriptors();
    for (int i = 0; i < 200; i++) {
      RocksDbEngine engine = TestStores.open(store, Durability.values()[i % 4]);
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("k" + i), b("v"));
        tx.scan(b("k"), b("l"), ScanOptions.FORWARD).hasNext(); // left open: close must free it
        tx.commit();
      }
      engine.begin(true).scan(b("k"), b("l"), ScanOptions.REVERSE).hasNext(); // never closed
      engine.close();
    }
    int after = TestStores.openFileDescriptors();
    assertThat(after).isLessThanOrEqualTo(before + 5);
    try (RocksDbEngine engine = TestStores.open(store, Durability.GROUP)) {
      assertThat(get(engine, "k199")).isEqualTo("v");
    }
  }

  @Test
  void transactionsAndCursorsFailCleanlyAfterClose() {
    RocksDbEngine engine = TestStores.open(dir, Durability.GROUP);
    put(engine, "a", "1");
    put(engine, "b", "2");
    EngineTransaction reader = engine.begin(true);
    EngineTransaction writer = engine.begin(false);
    writer.set(b("c"), b("3"));
    KeyValueCursor cursor = reader.scan(b("a"), b("z"), ScanOptions.FORWARD);
    assertThat(cursor.next().key()).isEqualTo(b("a"));

    engine.close();
    engine.close(); // idempotent

    assertThatThrownBy(cursor::hasNext).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> reader.get(b("a"))).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> reader.scan(b("a"), b("z"), ScanOptions.FORWARD)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(writer::commit).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> engine.begin(true)).isInstanceOf(ClosedException.class);
    assertThatCode(() -> {
      cursor.close();
      reader.close();
      writer.close();
    }).doesNotThrowAnyException();

    try (RocksDbEngine reopened = TestStores.open(dir, Durability.GROUP)) {
      assertThat(get(reopened, "b")).isEqualTo("2");
      assertThat(get(reopened, "c")).isNull();
    }
  }

  @Test
  void closeUnderLoadWaitsForCallsInFlightAndNeverCrashes() throws Exception {
    for (int round = 0; round < 5; round++) {
      RocksDbEngine engine = TestStores.open(dir, Durability.values()[round % 4]);
      for (int i = 0; i < 100; i++) {
        put(engine, String.format("k%03d", i), "v");
      }
      int threads = 6;
      CountDownLatch running = new CountDownLatch(threads);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger commits = new AtomicInteger();
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers.add(Thread.ofPlatform().start(() -> {
          running.countDown();
          try {
            while (!stop.get()) {
              try (EngineTransaction tx = engine.begin(id % 2 == 0)) {
                try (KeyValueCursor c = tx.scan(b("k"), b("l"), id % 3 == 0 ? ScanOptions.REVERSE : ScanOptions.FORWARD)) {
                  for (int n = 0; n < 30 && c.hasNext(); n++) {
                    c.next();
                  }
                }
                tx.get(b("k050"));
                if (!tx.isReadOnly()) {
                  tx.set(b("w" + id), b("x"));
                  tx.commit();
                  commits.incrementAndGet();
                }
              } catch (ClosedException | ConflictException expected) {
                if (expected instanceof ClosedException) {
                  return;
                }
              }
            }
          } catch (Throwable e) {
            unexpected.compareAndSet(null, e);
          }
        }));
      }
      running.await();
      Thread.sleep(50);
      engine.close();
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      assertThat(unexpected.get()).isNull();
      assertThat(commits.get()).isPositive();
    }
  }

  @Test
  void rollbackAndCommittedTransactionsReleaseTheirSnapshots() throws Exception {
    try (RocksDbEngine engine = TestStores.open(dir, Durability.NONE)) {
      // The cache warmer reads a small store at snapshots of its own: let it finish first.
      assertThat(engine.awaitCacheWarming(java.time.Duration.ofSeconds(60))).isTrue();
      for (int i = 0; i < 1000; i++) {
        EngineTransaction tx = engine.begin(i % 2 == 0);
        tx.scan(b("a"), b("z"), ScanOptions.FORWARD).hasNext();
        if (i % 3 == 0) {
          tx.commit();
        } else {
          tx.rollback();
        }
      }
      put(engine, "k", "v");
      assertThat(get(engine, "k")).isEqualTo("v");
      // The engine keeps the last read-only transaction's snapshot as the read view until the
      // next write: one snapshot, the latest; a commit drops it.
      assertThat(engine.db().getLongProperty("rocksdb.num-snapshots")).isEqualTo(1);
      put(engine, "k", "w");
      assertThat(engine.db().getLongProperty("rocksdb.num-snapshots")).isZero();
    }
  }
}
