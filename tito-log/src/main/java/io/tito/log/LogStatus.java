package io.tito.log;

import io.tito.InvalidArgumentException;
import io.tito.log.internal.CheckpointFile;
import io.tito.log.internal.Dirs;
import io.tito.log.internal.LogReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a log directory holds, for operators: its segments, the oldest and end offsets, and the
 * checkpoint of every exactly-once consumer (and {@code StoreLogConsumer}, whose file copy is a
 * lower bound) with its lag. Read from the files without locking anything, so it can be taken
 * while a producer and consumers run; each part is read once, so the whole is not one atomic
 * snapshot (a consumer may be seen ahead of an end offset read just before).
 *
 * @param directory the log directory
 * @param oldestOffset the oldest retained offset (0 for an empty log)
 * @param endOffset the offset the next appended record will get
 * @param segments the segment files, oldest first; the last is the active one
 * @param consumers the consumers with a checkpoint file, by id ({@link #GLOBAL} for the global one)
 */
public record LogStatus(Path directory, long oldestOffset, long endOffset,
    List<SegmentInfo> segments, List<ConsumerPosition> consumers) {

  /** The id under which the global exactly-once consumer is listed. */
  public static final String GLOBAL = "(global)";

  /** Copies the lists. */
  public LogStatus {
    segments = List.copyOf(segments);
    consumers = List.copyOf(consumers);
  }

  /**
   * One segment file.
   *
   * @param baseOffset the offset of its first record
   * @param file its file name
   * @param bytes its size on disk (the active segment is created at full size)
   * @param active whether it is the newest segment, the one appended to
   */
  public record SegmentInfo(long baseOffset, String file, long bytes, boolean active) {}

  /**
   * An exactly-once consumer's position.
   *
   * @param id its consumer id, or {@link #GLOBAL}
   * @param checkpoint the offset of the next record it has not committed (-1 if the file holds no
   *     valid entry yet)
   * @param lag records between its checkpoint and the end offset (0 if ahead)
   */
  public record ConsumerPosition(String id, long checkpoint, long lag) {}

  /** Records retained: end offset minus oldest offset. */
  public long records() {
    return endOffset - oldestOffset;
  }

  /** Bytes of every segment file. */
  public long bytes() {
    return segments.stream().mapToLong(SegmentInfo::bytes).sum();
  }

  /**
   * Reads the status of the log in {@code dir}.
   *
   * @throws InvalidArgumentException if {@code dir} is not a directory
   * @throws LogException if a file cannot be read
   */
  public static LogStatus of(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidArgumentException("not a log directory",
          Map.of("dir", String.valueOf(dir)));
    }
    TreeMap<Long, Path> files = Dirs.segments(dir);
    List<SegmentInfo> segments = new ArrayList<>();
    for (Map.Entry<Long, Path> e : files.entrySet()) {
      segments.add(new SegmentInfo(e.getKey(), e.getValue().getFileName().toString(),
          size(e.getValue()), e.getKey().equals(files.lastKey())));
    }
    long oldest = LogReader.oldestOffset(dir);
    long end = LogReader.endOffset(dir);
    List<ConsumerPosition> consumers = new ArrayList<>();
    Path ckpts = Dirs.checkpoints(dir);
    if (Files.isDirectory(ckpts)) {
      try (Stream<Path> list = Files.list(ckpts)) {
        for (Path p : list.sorted().toList()) {
          String name = p.getFileName().toString();
          String id = name.equals("global.ckpt") ? GLOBAL
              : name.startsWith("id-") && name.endsWith(".ckpt")
                  ? name.substring(3, name.length() - 5) : null;
          if (id != null) {
            long cp = CheckpointFile.read(p);
            consumers.add(new ConsumerPosition(id, cp, Math.max(0, end - Math.max(cp, oldest))));
          }
        }
      } catch (IOException e) {
        throw new LogException("cannot list " + ckpts + ": " + e.getMessage(), e);
      }
    }
    return new LogStatus(dir, oldest, end, segments, consumers);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0; // deleted by retention since listed
    }
  }
}
