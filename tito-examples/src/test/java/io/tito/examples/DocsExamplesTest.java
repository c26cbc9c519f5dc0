package io.tito.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocsExamplesTest {

  private static final List<String> DIRECTORY = List.of(
      "Oslo, most points first: [Ada, Bob]",
      "plan: INDEX by_city_points eq[address.city] range points reverse (count from index) filter "
          + "(address.city eq 'Oslo' and points ge 30.0)",
      "vip customers: [Ada, Cy]",
      "names starting with B or C: 2",
      "projection: [{\"name\":\"Cy\",\"address\":{\"city\":\"Bergen\"}}]",
      "bob patched to v2",
      "session committed: dee v1, stream version 1, outbox messages 1");

  @Test
  void customerDirectoryOnTheMemoryEngine() {
    Tito.Builder b = Tito.builder().url("memory:");
    CustomerDirectoryExample.modules().forEach(b::with);
    try (Tito tito = b.build()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CustomerDirectoryExample.run(tito, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).isEqualTo(DIRECTORY);
    }
  }
}
