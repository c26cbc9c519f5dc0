package io.tito.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.log.internal.CheckpointFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a producing and an exactly-once consuming child JVM with SIGKILL at random moments, many
 * times, and checks after each round: every record whose durable append returned is in the log,
 * in order, with its payload; no record is delivered again after its commit returned; and at the
 * end a consumer drains the log with nothing lost.
 */
class KillNineTest {

  private static final int ROUNDS = 25;

  @TempDir
  Path dir;

  /** A running child and the lines it printed. */
  private record Child(Process process, List<String> lines) {

    static Child start(String... args) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), KillChild.class.getName()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            lines.add(l);
          }
        } catch (IOException ignored) {
          // the child died
        }
      });
      return new Child(p, lines);
    }

    long count(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Unix
      process.waitFor();
    }
  }

  @Test
  void killedProducersAndConsumersLoseNothingAndDeliverNothingTwice() throws Exception {
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    List<Long> acked = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      Child producer = Child.start("produce", dir.toString());
      Child consumer = Child.start("consume", dir.toString(), "killed");
      int appendsBeforeKill = 20 + random.nextInt(400);
      int commitsBeforeKill = random.nextInt(200);
      TestLogs.await(() -> producer.count("A ") >= appendsBeforeKill || !producer.process.isAlive(),
          Duration.ofSeconds(60), "appends of round " + round);
      if (random.nextBoolean()) {
        producer.kill();
        long end;
        try (LogConsumer latest = LogConsumer.atLeastOnce(dir, StartPosition.latest())) {
          end = latest.position();
        }
        Path checkpoint = dir.resolve("checkpoints").resolve("id-killed.ckpt");
        TestLogs.await(() -> consumer.count("C ") >= commitsBeforeKill
            || CheckpointFile.read(checkpoint) >= end || !consumer.process.isAlive(),
            Duration.ofSeconds(60), "commits of round " + round);
        consumer.kill();
      } else {
        TestLogs.await(() -> consumer.count("C ") >= commitsBeforeKill
            || !consumer.process.isAlive(), Duration.ofSeconds(60), "commits of round " + round);
        consumer.kill();
        producer.kill();
      }
      assertThat(producer.lines).as("seed %d", seed).noneMatch(l -> l.startsWith("BAD"));
      assertThat(consumer.lines).as("seed %d", seed).noneMatch(l -> l.startsWith("BAD"));
      producer.lines.stream().filter(l -> l.startsWith("A ")).map(l -> Long.parseLong(l.substring(2)))
          .forEach(acked::add);
      consumer.lines.stream().filter(l -> l.startsWith("C ")).map(l -> Long.parseLong(l.substring(2)))
          .forEach(committed::add);
      verifyLog(acked, seed);
      for (int i = 1; i < committed.size(); i++) {
        assertThat(committed.get(i)).as("seed %d: delivered again after its commit", seed)
            .isGreaterThan(committed.get(i - 1));
      }
    }
    // drain: nothing acknowledged is lost, every record committed exactly once overall
    long end;
    try (LogProducer p = LogProducer.open(TestLogs.small(dir).build())) {
      end = p.endOffset();
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "killed")) {
      long start = c.checkpoint();
      if (!committed.isEmpty()) {
        assertThat(start).as("seed %d", seed).isGreaterThan(committed.getLast());
      }
      assertThat(c.processAvailable(Integer.MAX_VALUE, (r, a) -> Outcome.COMMIT))
          .isEqualTo(end - start);
    }
    assertThat(acked).as("seed %d", seed).isNotEmpty();
    assertThat(committed).as("seed %d", seed).isNotEmpty();
    assertThat(end).isGreaterThan(acked.getLast());
  }

  @Test
  void theProducerAndConsumerLocksHoldAcrossProcesses() throws Exception {
    Child producer = Child.start("produce", dir.toString());
    Child consumer = Child.start("consume", dir.toString(), "locked");
    try {
      TestLogs.await(() -> producer.count("READY") == 1 && consumer.count("READY") == 1,
          Duration.ofSeconds(60), "children ready");
      assertThatThrownBy(() -> LogProducer.open(TestLogs.small(dir).build()))
          .isInstanceOf(LogLockedException.class).hasMessageContaining("another producer");
      assertThatThrownBy(() -> LogConsumer.exactlyOnce(dir, "locked"))
          .isInstanceOf(LogLockedException.class).hasMessageContaining("id-locked");
      // the consumer child is woken by the producer child's appends (bounded park across processes)
      TestLogs.await(() -> consumer.count("C ") >= 50, Duration.ofSeconds(60), "commits");
    } finally {
      producer.kill();
      consumer.kill();
    }
    LogProducer.open(TestLogs.small(dir).build()).close(); // the dead process's lock is gone
    LogConsumer.exactlyOnce(dir, "locked").close();
  }

  private void verifyLog(List<Long> acked, long seed) {
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      long expected = 0;
      for (LogRecord r = c.poll(); r != null; r = c.poll()) {
        assertThat(r.offset()).as("seed %d", seed).isEqualTo(expected++);
        assertThat(r.payload()).as("seed %d record %d", seed, r.offset())
            .isEqualTo(TestLogs.payload(r.offset(), 60 + (int) (r.offset() % 100)));
      }
      if (!acked.isEmpty()) {
        assertThat(expected).as("seed %d: acknowledged records present", seed)
            .isGreaterThan(acked.getLast());
      }
    }
  }
}
