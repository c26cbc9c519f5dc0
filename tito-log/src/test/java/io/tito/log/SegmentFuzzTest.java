package io.tito.log;

import static io.tito.log.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.log.internal.Dirs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Damaged segment bytes never crash the reader or the producer's recovery: they read valid
 * records, then stop (a torn tail) or fail with a {@link LogException} (a clear error); every
 * record they do deliver is one that was written.
 */
class SegmentFuzzTest {

  private Path root;
  private int run;

  @BeforeProperty
  void setUp() throws IOException {
    root = Files.createTempDirectory("tito-log-fuzz");
  }

  @AfterProperty
  void tearDown() throws IOException {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<List<Tuple.Tuple3<Integer, Integer, byte[]>>> damage() {
    Arbitrary<Tuple.Tuple3<Integer, Integer, byte[]>> one = Combinators.combine(
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 70_000),
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)).as(Tuple::of);
    return one.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 150)
  void damagedSegmentsGiveRecordsThenAnEndOrAClearError(
      @ForAll("damage") List<Tuple.Tuple3<Integer, Integer, byte[]>> damage,
      @ForAll boolean forced) throws IOException {
    Path dir = root.resolve("log" + run++);
    int n = 700; // two segments of 64 KiB and part of a third
    try (LogProducer p = LogProducer.open(TestLogs.small(dir)
        .syncPolicy(forced ? SyncPolicy.periodic(java.time.Duration.ofHours(1)) : SyncPolicy.os())
        .build())) {
      for (int i = 0; i < n; i++) {
        p.append(payload(i, 50 + i % 200));
      }
      if (forced) {
        p.sync();
      }
    }
    List<Path> segments = List.copyOf(Dirs.segments(dir).values());
    for (Tuple.Tuple3<Integer, Integer, byte[]> d : damage) {
      Path seg = segments.get(Math.floorMod(d.get2(), segments.size()));
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
        long size = ch.size();
        if (d.get1() < 3) {
          ch.write(ByteBuffer.wrap(d.get3()), d.get2() % Math.max(1, size));
        } else {
          ch.truncate(d.get2() % Math.max(1, size));
        }
      }
    }
    readAll(dir, n);
    try (LogProducer p = LogProducer.open(TestLogs.small(dir).build())) {
      p.append(payload(p.endOffset(), 10));
    } catch (LogException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    readAll(dir, n + 1);
  }

  private static void readAll(Path dir, int max) {
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      long expected = c.position();
      for (LogRecord r = c.poll(); r != null; r = c.poll()) {
        assertThat(r.offset()).isEqualTo(expected++);
        byte[] original = payload(r.offset(), 50 + (int) (r.offset() % 200));
        if (!java.util.Arrays.equals(r.payload(), original)) {
          assertThat(r.payload()).as("record %d", r.offset()).isEqualTo(payload(r.offset(), 10));
        }
        assertThat(r.offset()).isLessThan(max);
      }
    } catch (LogException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
