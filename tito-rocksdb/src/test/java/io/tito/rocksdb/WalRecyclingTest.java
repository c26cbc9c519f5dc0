package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write-ahead log files are kept for reuse once their memtables are flushed (a reused file's
 * syncs need no metadata update): RocksDB silently turns recycling off for recovery modes it
 * cannot combine with, so the options it actually runs with are checked; and a store whose last
 * commits live in a reused log reopens with every commit.
 */
class WalRecyclingTest {

  @TempDir Path dir;

  private static void write(RocksDbEngine engine, int round) {
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < 100; i++) {
        tx.set(TestStores.b("r" + round + "-" + i), TestStores.b("v" + round + "-" + i));
      }
      tx.commit();
    }
  }

  private List<Path> files(String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)
          && f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void theRecycledLogCountPropertyIsReadAndCheckedWhole() {
    assertThat(RocksDbEngine.recycledWalFiles((String) null))
        .isEqualTo(RocksDbEngine.DEFAULT_RECYCLED_WAL_FILES);
    assertThat(RocksDbEngine.recycledWalFiles("0")).isZero();
    assertThat(RocksDbEngine.recycledWalFiles(" 16 ")).isEqualTo(16);
    for (String bad : List.of("17", "-1", "two", "", "2.5")) {
      assertThatThrownBy(() -> RocksDbEngine.recycledWalFiles(bad)).as(bad)
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("tito.rocksdb.recycledWalFiles");
    }
  }

  @Test
  void flushedLogFilesAreKeptForReuseAndAStoreWrittenIntoAReusedLogReopensWhole() throws Exception {
    RocksDbOptions options = RocksDbOptions.builder(dir).durability(Durability.GROUP)
        .warmCache(false).build();
    try (RocksDbEngine engine = RocksDbEngine.open(options)) {
      List<Path> optionFiles = files("OPTIONS-", "");
      assertThat(optionFiles).isNotEmpty();
      assertThat(Files.readAllLines(optionFiles.get(optionFiles.size() - 1)))
          .as("the recycling RocksDB runs with, after its own sanitising")
          .anySatisfy(line -> assertThat(line.trim())
              .isEqualTo("recycle_log_file_num=" + RocksDbEngine.recycledWalFiles()));
      for (int round = 0; round < 4; round++) {
        write(engine, round);
        engine.compact(); // flushes the memtables: the log they were in is kept, the next reused
      }
      assertThat(files("", ".log")).as("the live log and the logs kept for reuse").hasSizeGreaterThan(1);
      write(engine, 4); // into a reused log
    }
    try (RocksDbEngine engine = RocksDbEngine.open(options)) {
      for (int round = 0; round <= 4; round++) {
        assertThat(TestStores.get(engine, "r" + round + "-99")).isEqualTo("v" + round + "-99");
      }
    }
  }
}
