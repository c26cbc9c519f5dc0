package io.tito.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.Tito;
import io.tito.docs.DocIndex;
import io.tito.docs.DocumentStore;
import io.tito.docs.Tenants;
import io.tito.log.LogConsumer;
import io.tito.log.LogProducer;
import io.tito.log.Outcome;
import io.tito.log.ProducerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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

  /** Ensures tenant {@code name} with collection "people" (index "by_city") and one document. */
  static void tenantWithDocuments(Tito tito, String name) {
    try (Tenants t = Tenants.of(tito, n -> List.of(DocumentStore.builder()
        .collection("people", DocIndex.of("by_city", "city"))), 1)) {
      t.ensure(name);
      ObjectNode doc = new ObjectMapper().createObjectNode().put("city", "Oslo");
      t.documents(name).collection("people").put("p1", doc);
    }
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
