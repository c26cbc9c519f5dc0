package io.tito.log.internal;

import io.tito.log.LogException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The files of a log directory. */
public final class Dirs {

  private Dirs() {}

  /** Forces a directory's entries (a rename or a new file) to the disk. */
  public static void sync(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new LogException("cannot sync directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The segment files of {@code dir} by base offset (empty if there are none or no directory). */
  public static TreeMap<Long, Path> segments(Path dir) {
    TreeMap<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        String name = p.getFileName().toString();
        if (name.length() == 20 + SegmentFormat.SUFFIX.length()
            && name.endsWith(SegmentFormat.SUFFIX)) {
          try {
            out.put(Long.parseLong(name.substring(0, 20)), p);
          } catch (NumberFormatException ignored) {
            // not one of ours
          }
        }
      });
    } catch (IOException e) {
      throw new LogException("cannot list log directory " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static Path checkpoints(Path dir) {
    return dir.resolve("checkpoints");
  }
}
