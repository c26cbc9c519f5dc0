package io.tito.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

  @Test
  void demoOnTheMemoryEngine() throws Exception {
    try (Tito tito = Demo.store(Tito.builder().url("memory:")).build()) {
      assertDemo(tito);
    }
  }

  @Test
  void demoOnRocksDb(@TempDir Path dir) throws Exception {
    try (Tito tito = Demo.store(Tito.builder().url("rocksdb:" + dir)).build()) {
      assertDemo(tito);
    }
  }

  private static void assertDemo(Tito tito) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Demo.run(tito, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).containsExactly(
        "",
        "== 1. Records written with events ==",
        "Model 'orders' publishes every write to topic 'orders' (4 partitions, keyed by order id), inside the writing transaction.",
        "Inserted o-1, o-2, o-3 in one transaction.",
        "Updated o-2 (status paid).",
        "Inserting o-4 failed (payment declined): rolled back, record and event both gone: o-4 exists = false",
        "Events in topic 'orders': 4",
        "",
        "== 2. Two consumer groups, each receives every event ==",
        "billing received 4 events:",
        "  INSERT o-1 v1 (book x1, new)",
        "  INSERT o-2 v1 (lamp x2, new)",
        "  UPDATE o-2 v2 (lamp x2, paid)",
        "  INSERT o-3 v1 (desk x1, new)",
        "shipping received 4 events:",
        "  INSERT o-1 v1 (book x1, new)",
        "  INSERT o-2 v1 (lamp x2, new)",
        "  UPDATE o-2 v2 (lamp x2, paid)",
        "  INSERT o-3 v1 (desk x1, new)",
        "(per order id, each group sees the events in commit order)",
        "",
        "== 3. A scheduled event fires on time ==",
        "Published a reminder for o-1, due in 1 s.",
        "mailer received: remind ann to review her book",
        "Arrived at or after its due time: true",
        "",
        "== 4. A failing handler: retried, then dead-lettered ==",
        "Group 'warehouse' (max 3 attempts, backoff from 50 ms) fails on o-3.",
        "  attempt 1 on INSERT o-3 v1 (desk x1, new): failed (desk out of stock)",
        "  attempt 2 on INSERT o-3 v1 (desk x1, new): failed (desk out of stock)",
        "  attempt 3 on INSERT o-3 v1 (desk x1, new): failed (desk out of stock)",
        "warehouse processed 3 events:",
        "  INSERT o-1 v1 (book x1, new) (handler call 1)",
        "  INSERT o-2 v1 (lamp x2, new) (handler call 1)",
        "  UPDATE o-2 v2 (lamp x2, paid) (handler call 1)",
        "Dead letter: INSERT o-3 v1 (desk x1, new) after 3 attempts, error: java.lang.IllegalStateException: desk out of stock",
        "The partition went on; billing and shipping are unaffected (they processed o-3 above).",
        "",
        "== 5. Repaired, requeued, processed ==",
        "Requeued 1 dead letter(s) of 'warehouse'.",
        "warehouse processed: INSERT o-3 v1 (desk x1, new) (handler call 4)",
        "Dead letters left: 0",
        "",
        "Done: every event existed iff its write committed, and reached every group.");
  }
}
