package io.tito.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStatusTest {

  @TempDir Path dir;

  @Test
  void segmentsOffsetsAndConsumersLag() {
    try (LogProducer p = LogProducer.open(ProducerOptions.builder(dir)
        .segmentBytes(ProducerOptions.MIN_SEGMENT_BYTES).build())) {
      byte[] big = new byte[10_000];
      for (int i = 0; i < 20; i++) {
        p.append(i % 2 == 0 ? big : ("r" + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "billing")) {
      c.processAvailable(3, (r, attempt) -> Outcome.COMMIT);
    }
    try (LogConsumer g = LogConsumer.globalExactlyOnce(dir)) {
      g.processAvailable(20, (r, attempt) -> Outcome.COMMIT);
    }

    LogStatus s = LogStatus.of(dir);
    assertThat(s.oldestOffset()).isZero();
    assertThat(s.endOffset()).isEqualTo(20);
    assertThat(s.records()).isEqualTo(20);
    assertThat(s.segments()).hasSizeGreaterThan(1);
    assertThat(s.segments().get(0).baseOffset()).isZero();
    assertThat(s.segments()).filteredOn(LogStatus.SegmentInfo::active).hasSize(1);
    assertThat(s.segments().get(s.segments().size() - 1).active()).isTrue();
    assertThat(s.bytes()).isPositive();
    assertThat(s.consumers()).containsExactly(
        new LogStatus.ConsumerPosition(LogStatus.GLOBAL, 20, 0),
        new LogStatus.ConsumerPosition("billing", 3, 17));
  }

  @Test
  void emptyLogAndMissingDirectory() {
    LogStatus s = LogStatus.of(dir);
    assertThat(s.endOffset()).isZero();
    assertThat(s.segments()).isEmpty();
    assertThat(s.consumers()).isEmpty();
    assertThatThrownBy(() -> LogStatus.of(dir.resolve("nope")))
        .isInstanceOf(InvalidArgumentException.class);
  }
}
