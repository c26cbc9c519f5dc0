package io.tito.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers of the log tests. */
final class TestLogs {

  private TestLogs() {}

  static ProducerOptions.Builder small(Path dir) {
    return ProducerOptions.builder(dir).segmentBytes(ProducerOptions.MIN_SEGMENT_BYTES);
  }

  /** A payload determined by its offset, of {@code size} bytes (at least 8). */
  static byte[] payload(long offset, int size) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(8, size));
    b.putLong(offset);
    for (int i = 8; i < b.capacity(); i++) {
      b.put((byte) (offset * 31 + i));
    }
    return b.array();
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(LogRecord r) {
    return new String(r.payload(), StandardCharsets.UTF_8);
  }

  /** Polls {@code condition} until it holds or the deadline passes. */
  static void await(BooleanSupplier condition, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
