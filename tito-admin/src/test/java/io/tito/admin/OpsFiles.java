package io.tito.admin;

import io.tito.log.LogConsumer;
import io.tito.log.LogProducer;
import io.tito.log.Outcome;
import io.tito.log.ProducerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories and a known log for the tenants, backup and log tests. */
final class OpsFiles {

  private OpsFiles() {}

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A log with records "r0".."r3" and one binary record (offset 4), whose exactly-once consumer
   * "audit" committed 2.
   */
  static Path knownLog() {
    Path dir = tempDir("tito-admin-log-");
    try (LogProducer p = LogProducer.open(ProducerOptions.builder(dir).build())) {
      for (int i = 0; i < 4; i++) {
        p.append(Fixture.bytes("r" + i));
      }
      p.append(new byte[] {(byte) 0xff, 0, (byte) 0xfe});
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "audit")) {
      c.processAvailable(2, (r, attempt) -> Outcome.COMMIT);
    }
    return dir;
  }

  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory; best effort
    }
  }
}
