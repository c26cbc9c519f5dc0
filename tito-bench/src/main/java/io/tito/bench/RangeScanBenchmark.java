package io.tito.bench;

import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.tuple.Subspace;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Rows per second of a streamed range scan: each operation reads {@value #ROWS} consecutive
 * 100-byte rows from a random start in a store of {@code size} rows, in one read-only transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RangeScanBenchmark {

  static final int ROWS = 1000;

  @Param({"memory", "rocksdb-none"})
  public String store;

  @Param({"100000"})
  public int size;

  @Param({"false", "true"})
  public boolean reverse;

  private Path dir;
  private Tito tito;
  private Subspace space;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = BenchStores.tempDir();
    tito = BenchStores.open(store, dir);
    space = tito.root().subspace("bench", "rows");
    byte[] value = new byte[100];
    for (int start = 0; start < size; start += 10_000) {
      int from = start;
      tito.inTransaction(tx -> {
        for (long i = from; i < Math.min(from + 10_000, size); i++) {
          tx.set(space.pack(i), value);
        }
      });
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    tito.close();
    BenchStores.delete(dir);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long scan() {
    long from = ThreadLocalRandom.current().nextLong(size - ROWS);
    io.tito.KeyRange range = new io.tito.KeyRange(space.pack(from), space.pack(from + ROWS));
    return tito.read(tx -> {
      long bytes = 0;
      try (KeyValueCursor c = tx.scan(range, reverse ? ScanOptions.REVERSE : ScanOptions.FORWARD)) {
        while (c.hasNext()) {
          bytes += c.next().value().length;
        }
      }
      if (bytes != (long) ROWS * 100) {
        throw new IllegalStateException("scan returned " + bytes + " bytes");
      }
      return bytes;
    });
  }
}
