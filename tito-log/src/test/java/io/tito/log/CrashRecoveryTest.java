package io.tito.log;

import static io.tito.log.TestLogs.payload;
import static io.tito.log.TestLogs.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.log.internal.Dirs;
import io.tito.log.internal.SegmentFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {

  @TempDir
  Path dir;

  private static void write(Path file, long at, ByteBuffer bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(bytes, at);
    }
  }

  private static long readLong(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(b, at);
      return b.getLong(0);
    }
  }

  @Test
  void aTornTailIsNeverDeliveredAndIsTruncatedWhenAProducerOpens() throws IOException {
    long end;
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 10; i++) {
        p.append(payload(i, 100));
      }
      end = p.endOffset();
    }
    Path active = Dirs.segments(dir).lastEntry().getValue();
    long position = SegmentFormat.HEADER_BYTES + 10L * SegmentFormat.frameBytes(100);
    // as a machine crash could leave it: a length and half a frame, checksum wrong, past the
    // synced position (OS policy: the producer never forced)
    ByteBuffer torn = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    torn.putInt(0, 101).putInt(4, 12345).putLong(8, end).putLong(16, 77);
    write(active, position, torn);
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      assertThat(c.poll(100)).hasSize(10); // the torn frame is not delivered
    }
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      assertThat(p.endOffset()).isEqualTo(10);
      p.append(payload(10, 50));
    }
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      List<LogRecord> all = c.poll(100);
      assertThat(all).hasSize(11);
      assertThat(all.get(10).payload()).isEqualTo(payload(10, 50));
    }
  }

  @Test
  void anActiveSegmentCutInsideItsEndMarkersRoomIsAClearErrorNotACrash() throws IOException {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 3; i++) {
        p.append(payload(i, 100));
      }
    }
    Path active = Dirs.segments(dir).lastEntry().getValue();
    try (FileChannel ch = FileChannel.open(active, StandardOpenOption.WRITE)) {
      ch.truncate(SegmentFormat.HEADER_BYTES + 1); // found by SegmentFuzzTest: the header and a byte
    }
    assertThatThrownBy(() -> LogProducer.open(small(dir).build()))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessageContaining(active.getFileName().toString())
        .hasMessageContaining("no room for its end marker");
  }

  @Test
  void corruptionBeforeTheSyncedPositionIsAClearErrorNamingSegmentAndOffset() throws IOException {
    try (LogProducer p = LogProducer.open(small(dir).build())) { // every append forced
      for (int i = 0; i < 10; i++) {
        p.append(payload(i, 100));
      }
    }
    Path active = Dirs.segments(dir).lastEntry().getValue();
    assertThat(readLong(active, SegmentFormat.SYNCED_POSITION_AT))
        .isEqualTo(SegmentFormat.HEADER_BYTES + 10L * SegmentFormat.frameBytes(100));
    long third = SegmentFormat.HEADER_BYTES + 3L * SegmentFormat.frameBytes(100);
    write(active, third + 40, ByteBuffer.wrap(new byte[] {42}));
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      assertThat(c.poll(3)).hasSize(3);
      assertThatThrownBy(c::poll).isInstanceOf(LogCorruptedException.class)
          .hasMessageContaining(active.getFileName().toString())
          .hasMessageContaining("record 3").hasMessageContaining("checksum")
          .satisfies(e -> assertThat(((LogCorruptedException) e).offset()).isEqualTo(3));
    }
    assertThatThrownBy(() -> LogProducer.open(small(dir).build()))
        .isInstanceOf(LogCorruptedException.class).hasMessageContaining("record 3");
  }

  @Test
  void corruptionInASealedSegmentIsAnError() throws IOException {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 2000; i++) {
        p.append(payload(i, 100));
      }
    }
    Map.Entry<Long, Path> first = Dirs.segments(dir).firstEntry();
    write(first.getValue(), SegmentFormat.HEADER_BYTES + 5L * SegmentFormat.frameBytes(100) + 8,
        ByteBuffer.wrap(new byte[] {1, 2, 3}));
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      assertThat(c.poll(5)).hasSize(5);
      assertThatThrownBy(c::poll).isInstanceOf(LogCorruptedException.class)
          .hasMessageContaining(first.getValue().toString()).hasMessageContaining("record 5");
    }
  }

  @Test
  void aCrashBetweenCreatingAndSealingASegmentIsRepairedOnOpen() throws IOException {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 1000; i++) {
        p.append(payload(i, 100));
      }
    }
    // undo the seal of the first segment: no end marker, not sealed, full size again
    Map.Entry<Long, Path> first = Dirs.segments(dir).firstEntry();
    long markerAt;
    try (FileChannel ch = FileChannel.open(first.getValue(), StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      markerAt = ch.size() - SegmentFormat.END_MARKER_BYTES;
      ch.write(ByteBuffer.allocate(8), markerAt);
      ch.write(ByteBuffer.allocate(8), SegmentFormat.SEALED_MILLIS_AT);
      ch.write(ByteBuffer.allocate(1), ProducerOptions.MIN_SEGMENT_BYTES - 1);
    }
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      p.append(payload(1000, 100));
    }
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      List<LogRecord> all = c.poll(2000);
      assertThat(all).hasSize(1001);
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).offset()).isEqualTo(i);
      }
    }
  }
}
