package io.tito.bench.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.bench.DocsVsJsonbHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link DocsVsJsonbHarness} working: a tiny run of both stores (RocksDB and the local
 * PostgreSQL) that must reach every row, the settle steps included.
 */
class DocsVsJsonbSmokeTest {

  @Test
  void bothStoresRunEveryRowAfterSettling() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      DocsVsJsonbHarness.main(new String[] {"sizes=2000", "ops=8", "countOps=4",
          "durability=none"});
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    for (String store : new String[] {"tito", "pg"}) {
      assertThat(text.lines().filter(l -> l.contains(" " + store + " ")
          && l.contains("settle (compact / vacuum analyze)"))).hasSize(2);
      assertThat(text.lines().filter(l -> l.contains(" " + store + " ")
          && l.contains("count eq+range"))).hasSize(1);
      assertThat(text.lines().filter(l -> l.contains(" " + store + " ")
          && l.contains("or (country, tag) limit 20"))).hasSize(1);
      assertThat(text.lines().filter(l -> l.contains(" " + store + " ")
          && l.contains("or (country, tag) any order limit 20"))).hasSize(1);
    }
  }

  @Test
  void aKeptStoreIsLoadedOnceAndReused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String[] args = {"stores=tito", "sizes=2000", "ops=8", "countOps=4", "durability=none",
        "rows=or", "keep=" + dir};
    String first = run(args);
    String second = run(args);
    assertThat(first).contains("load (1000 per transaction)").doesNotContain("load skipped");
    assertThat(second).contains("load skipped").doesNotContain("load (1000 per transaction)");
    assertThat(second.lines().filter(l -> l.contains("or (country, tag) limit 20"))).hasSize(1);
    assertThat(dir.resolve("2000").resolve("loaded")).exists();
  }

  private static String run(String[] args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      DocsVsJsonbHarness.main(args);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
