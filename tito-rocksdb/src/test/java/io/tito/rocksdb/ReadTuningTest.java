package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.HyperClockCache;
import org.rocksdb.Options;

class ReadTuningTest {

  @TempDir Path dir;

  @Test
  void compressesBlocksWithLz4() {
    try (BloomFilter filter = new BloomFilter(10, false);
        Options o = ReadTuning.apply(new Options(), filter, null)) {
      assertThat(o.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
    }
  }

  @Test
  void blockCacheIsAHyperClockCacheOfTheGivenSize() {
    try (Cache cache = ReadTuning.blockCache(4L << 20)) {
      assertThat(cache).isInstanceOf(HyperClockCache.class);
      assertThat(cache.getUsage()).isLessThanOrEqualTo(4L << 20);
    }
  }

  @Test
  void storesWrittenByTheEngineUseLz4() throws IOException {
    try (RocksDbEngine engine = RocksDbEngine.open(RocksDbOptions.builder(dir)
        .durability(Durability.NONE).blockCacheBytes(8L << 20).build())) {
      engine.compact();
    }
    Path newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
    }
    assertThat(Files.readString(newest)).contains("compression=kLZ4Compression");
  }
}
