package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

/**
 * A staged SST file is compressed only when a probe of its first entries shows compression saves
 * at least an eighth; either way the file holds every entry in order and no probe file is left.
 */
class SstBatchTest {

  @TempDir Path dir;

  private static byte[] key(int i) {
    return String.format("k%08d", i).getBytes(StandardCharsets.US_ASCII);
  }

  private static SstBatch batch(int entries, java.util.function.IntFunction<byte[]> value) {
    SstBatch b = new SstBatch(8 << 20);
    for (int i = 0; i < entries; i++) {
      b.add(key(i), value.apply(i));
    }
    return b;
  }

  @Test
  void compressibleEntriesAreCompressed() throws Exception {
    byte[] repeated = "the same words again and again, ".repeat(8).getBytes(StandardCharsets.US_ASCII);
    SstBatch b = batch(20_000, i -> repeated);
    Path file = dir.resolve("a.sst");
    assertThat(b.write(file)).isEqualTo(SstBatch.FILE_COMPRESSION).isNotEqualTo(CompressionType.NO_COMPRESSION);
    assertHoldsAll(file, 20_000, i -> repeated);
  }

  @Test
  void incompressibleEntriesAreWrittenUncompressed() throws Exception {
    byte[][] values = new byte[20_000][];
    Random random = new Random(42);
    for (int i = 0; i < values.length; i++) {
      values[i] = new byte[200];
      random.nextBytes(values[i]);
    }
    SstBatch b = batch(values.length, i -> values[i]);
    Path file = dir.resolve("b.sst");
    assertThat(b.write(file)).isEqualTo(CompressionType.NO_COMPRESSION);
    assertHoldsAll(file, values.length, i -> values[i]);
  }

  private void assertHoldsAll(Path file, int entries, java.util.function.IntFunction<byte[]> value) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no probe left").allMatch(n -> n.endsWith(".sst"));
    }
    try (Options options = new Options(); SstFileReader reader = new SstFileReader(options);
        ReadOptions ro = new ReadOptions()) {
      reader.open(file.toString());
      assertThat(reader.getTableProperties().getNumEntries()).isEqualTo(entries);
      try (SstFileReaderIterator it = reader.newIterator(ro)) {
        it.seekToFirst();
        for (int i = 0; i < entries; i++) {
          assertThat(it.isValid()).as("entry %d present", i).isTrue();
          assertThat(it.key()).isEqualTo(key(i));
          assertThat(it.value()).isEqualTo(value.apply(i));
          it.next();
        }
        assertThat(it.isValid()).isFalse();
      }
    }
  }
}
