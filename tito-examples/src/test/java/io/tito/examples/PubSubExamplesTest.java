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

/** The work-queue and scheduled-reminder examples print exactly what they promise. */
class PubSubExamplesTest {

  @Test
  void queueFifoOnMemory() throws Exception {
    try (Tito tito = Tito.open("memory:")) {
      assertQueueFifo(output(tito, QueueFifoExample::run));
    }
  }

  @Test
  void queueFifoOnRocksDb(@TempDir Path dir) throws Exception {
    try (Tito tito = rocks(dir)) {
      assertQueueFifo(output(tito, QueueFifoExample::run));
    }
  }

  @Test
  void remindersOnMemory() throws Exception {
    try (Tito tito = Tito.open("memory:")) {
      assertReminders(output(tito, ScheduledReminderExample::run));
    }
  }

  @Test
  void remindersOnRocksDb(@TempDir Path dir) throws Exception {
    try (Tito tito = rocks(dir)) {
      assertReminders(output(tito, ScheduledReminderExample::run));
    }
  }

  private static Tito rocks(Path dir) {
    return Tito.open("rocksdb:" + dir);
  }

  private static List<String> output(Tito tito, ExampleSupport.Example example) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    example.run(tito, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static void assertQueueFifo(List<String> lines) {
    assertThat(lines).containsExactly(
        "Queued 20 jobs for [ann, bob, cid, dan] in 5 transactions, keyed by customer (4 partitions).",
        "  ann -> partition 2",
        "  bob -> partition 2",
        "  cid -> partition 0",
        "  dan -> partition 3",
        "Two workers of group 'workers' handled 20 jobs. Per customer, in handling order:",
        "  ann: 1. open account | 2. verify email | 3. add card | 4. first charge | 5. send receipt",
        "  bob: 1. open account | 2. verify email | 3. add card | 4. first charge | 5. send receipt",
        "  cid: 1. open account | 2. verify email | 3. add card | 4. first charge | 5. send receipt",
        "  dan: 1. open account | 2. verify email | 3. add card | 4. first charge | 5. send receipt",
        "Jobs of a customer handled out of order: 0",
        "Lag of group 'workers': 0");
  }

  private static void assertReminders(List<String> lines) {
    assertThat(lines).containsExactly(
        "Scheduled 'water the plants' in 1500 ms (waiting for its due time)",
        "Scheduled 'stand up and stretch' in 500 ms (waiting for its due time)",
        "Scheduled 'call the dentist' in 1000 ms (waiting for its due time)",
        "Scheduled 'read the news' for now (in the log at once)",
        "Scheduled 'cancelled meeting' in 700 ms, but the transaction rolled back.",
        "Delivered, in this order:",
        "  read the news (immediate)",
        "  stand up and stretch - not before its due time: true",
        "  call the dentist - not before its due time: true",
        "  water the plants - not before its due time: true",
        "Delivered 4 reminders; the rolled-back one never fired: true",
        "Waiting reminders left: 0 (lag of group 'phone')");
  }
}
