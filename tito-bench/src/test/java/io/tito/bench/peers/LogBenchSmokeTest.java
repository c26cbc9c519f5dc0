package io.tito.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Keeps the tito-log side of {@link LogBench} working: a tiny append+tail and latency run. (The
 * Chronicle Queue side needs JVM flags that bin/log-bench passes; the test JVM does not have them.)
 */
class LogBenchSmokeTest {

  @Test
  void theTitoLogScenariosRunToTheEnd() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      LogBench.main(new String[] {"records=20000", "paced=2000", "rate=20000", "rounds=1",
          "parts=tail", "systems=tito-log"});
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("tito-log  unsynced append+tail:").contains("tito-log  tail latency");
  }
}
