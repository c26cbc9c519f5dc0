package io.tito.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.events.EventStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event-store examples print exactly what they promise, on memory and RocksDB. */
class EventExamplesTest {

  @Test
  void bankAccountsOnMemory() throws Exception {
    try (Tito tito = Tito.builder().url("memory:").with(EventStore.builder()).build()) {
      assertBank(output(tito, BankAccountExample::run));
    }
  }

  @Test
  void bankAccountsOnRocksDb(@TempDir Path dir) throws Exception {
    try (Tito tito = Tito.builder().url("rocksdb:" + dir).with(EventStore.builder()).build()) {
      assertBank(output(tito, BankAccountExample::run));
    }
  }

  @Test
  void outboxFeedOnMemory() throws Exception {
    try (Tito tito = Tito.builder().url("memory:").with(EventStore.builder()).build()) {
      assertOutbox(output(tito, OutboxFeedExample::run));
    }
  }

  @Test
  void outboxFeedOnRocksDb(@TempDir Path dir) throws Exception {
    try (Tito tito = Tito.builder().url("rocksdb:" + dir).with(EventStore.builder()).build()) {
      assertOutbox(output(tito, OutboxFeedExample::run));
    }
  }

  private static void assertBank(List<String> lines) {
    assertThat(lines).containsExactly(
        "Refused a withdrawal of 500 from account-bob: balance would be -430",
        "account-alice: balance 325 at version 25 (snapshot at version 20 + 5 events)",
        "account-bob: balance 70",
        "Projection balances caught up (lag 0):",
        "  account-alice: 325",
        "  account-bob: 70",
        "Rebuilt from zero:",
        "  account-alice: 325",
        "  account-bob: 70");
  }

  private static void assertOutbox(List<String> lines) {
    assertThat(lines).containsExactly(
        "shipping received order-1 {\"sku\":\"book\"}",
        "shipping received order-2 {\"sku\":\"lamp\"}",
        "shipping received order-3 {\"sku\":\"desk\"}",
        "Feed status: lag 0");
  }

  private static List<String> output(Tito tito, ExampleSupport.Example example) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      example.run(tito, out);
    }
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
