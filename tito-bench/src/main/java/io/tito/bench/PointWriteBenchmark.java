package io.tito.bench;

import io.tito.Tito;
import io.tito.tuple.Subspace;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Committed transactions per second, each writing one new 100-byte value under a tuple key,
 * through the public API (runner included). Run with 1 and with 4 threads ({@code -t}) to see
 * group commit at work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PointWriteBenchmark {

  @Param({"memory", "rocksdb-sync", "rocksdb-group", "rocksdb-none"})
  public String store;

  private Path dir;
  private Tito tito;
  private Subspace space;
  private final AtomicLong next = new AtomicLong();
  private final byte[] value = new byte[100];

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = BenchStores.tempDir();
    tito = BenchStores.open(store, dir);
    space = tito.root().subspace("bench", "points");
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    tito.close();
    BenchStores.delete(dir);
  }

  @Benchmark
  public void writeOne() {
    byte[] key = space.pack(next.incrementAndGet());
    tito.inTransaction(tx -> tx.set(key, value));
  }
}
