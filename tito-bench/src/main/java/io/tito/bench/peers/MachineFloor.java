package io.tito.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Scenario 5, the machine's floor, measured in the benchmark's own scratch directory: fsync'd
 * small appends per second ({@link FileChannel#write} of 100 bytes then {@code force(false)}),
 * and sequential write bandwidth (1 MiB chunks, then one {@code force(true)}, timed together).
 */
public final class MachineFloor {

  /** Appends per second and sequential MiB per second. */
  public record Outcome(long appends, double appendsPerSecond, long mebibytes,
      double mebibytesPerSecond, long appendFileBytes, long bandwidthFileBytes) {}

  private MachineFloor() {}

  public static Outcome run(Path dir, int appends, int mebibytes) throws IOException {
    Path small = dir.resolve("appends.dat");
    ByteBuffer record = ByteBuffer.allocate(100);
    long start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(small, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < appends; i++) {
        record.clear();
        record.putLong(0, i);
        while (record.hasRemaining()) {
          ch.write(record);
        }
        ch.force(false);
      }
    }
    double appendSeconds = (System.nanoTime() - start) / 1e9;

    Path big = dir.resolve("sequential.dat");
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
    for (int i = 0; i < chunk.capacity(); i += 8) {
      chunk.putLong(i, i * 0x9E3779B97F4A7C15L);
    }
    start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      for (int i = 0; i < mebibytes; i++) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          ch.write(chunk);
        }
      }
      ch.force(true);
    }
    double seqSeconds = (System.nanoTime() - start) / 1e9;
    Outcome o = new Outcome(appends, appends / appendSeconds, mebibytes, mebibytes / seqSeconds,
        Files.size(small), Files.size(big));
    Files.delete(small);
    Files.delete(big);
    if (o.appendFileBytes() != 100L * appends || o.bandwidthFileBytes() != (long) mebibytes << 20) {
      throw new IllegalStateException("machine floor files have the wrong size: " + o);
    }
    return o;
  }
}
