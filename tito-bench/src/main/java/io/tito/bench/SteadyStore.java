package io.tito.bench;

import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Brings a store to the state a long-running one is in before a timed run. For RocksDB: a
 * write-ahead log file that was written through its whole length (a write buffer's worth) and then
 * reused, as every log after a store's first two is (the engine recycles flushed logs; a reused
 * log's syncs overwrite written blocks). It writes and clears 72 MiB of filler under a key prefix
 * no Tito layer uses ({@code "~steady-"}), flushes, commits one marker key and flushes again, so
 * that the next log is the filler's. Other engines: nothing.
 */
public final class SteadyStore {

  private static final int FILLER_MIB = 72;

  private SteadyStore() {}

  /** Settles {@code engine} as described above; returns whether it did anything. */
  public static boolean settle(Engine engine) {
    if (!(engine instanceof RocksDbEngine rocks)) {
      return false;
    }
    byte[] value = new byte[(1 << 20) - 1024];
    new Random(7).nextBytes(value);
    for (int i = 0; i < FILLER_MIB; i++) {
      commit(rocks, key("filler-" + String.format("%03d", i)), value);
    }
    try (EngineTransaction tx = rocks.begin(false)) {
      tx.clearRange(key("filler-"), key("filler."));
      tx.commit();
    }
    rocks.compact(); // the filler's log is kept for reuse; a fresh one takes over
    commit(rocks, key("marker"), new byte[1]);
    rocks.compact(); // the fresh one is flushed too: the next log reuses the filler's
    return true;
  }

  private static byte[] key(String name) {
    return ("~steady-" + name).getBytes(StandardCharsets.UTF_8);
  }

  private static void commit(RocksDbEngine rocks, byte[] key, byte[] value) {
    try (EngineTransaction tx = rocks.begin(false)) {
      tx.set(key, value);
      tx.commit();
    }
  }
}
