package io.tito.log.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link ProducerConsumerExample}: a producer process, then a consumer restarted twice. */
class ProducerConsumerExampleTest {

  @TempDir
  Path dir;

  private static void run(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        ProducerConsumerExample.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor()).as("exit status of %s", List.of(args)).isZero();
  }

  @Test
  void theConsumerSurvivesRestartsWithoutProcessingAnyRecordTwice() throws Exception {
    Path log = dir.resolve("orders");
    Path out = dir.resolve("billed.txt");
    run("produce", log.toString(), "300");
    run("consume", log.toString(), out.toString(), "120"); // stops after 120
    run("consume", log.toString(), out.toString(), "100"); // restarted: the next 100
    run("consume", log.toString(), out.toString(), "80");  // and the last 80
    List<String> billed = Files.readAllLines(out);
    assertThat(billed).containsExactlyElementsOf(
        IntStream.range(0, 300).mapToObj(i -> "order-" + i).toList());
  }
}
