package io.tito.log;

import static io.tito.log.TestLogs.payload;
import static io.tito.log.TestLogs.small;
import static io.tito.log.TestLogs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.log.internal.Dirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogProducerTest {

  @TempDir
  Path dir;

  @Test
  void appendsGetDenseOffsetsAndSurviveReopenAcrossSegments() {
    int n = 3000; // 3000 x 120 bytes > 5 segments of 64 KiB
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < n; i++) {
        assertThat(p.append(payload(i, 100))).isEqualTo(i);
      }
    }
    assertThat(Dirs.segments(dir).size()).isGreaterThan(4);
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      assertThat(p.endOffset()).isEqualTo(n);
      assertThat(p.append(payload(n, 100))).isEqualTo(n);
    }
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      List<LogRecord> all = c.poll(n + 10);
      assertThat(all).hasSize(n + 1);
      for (int i = 0; i <= n; i++) {
        assertThat(all.get(i).offset()).isEqualTo(i);
        assertThat(all.get(i).payload()).isEqualTo(payload(i, 100));
      }
    }
  }

  @Test
  void startPositionsOldestLatestAndOffsetUseTheIndex() {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 2000; i++) {
        p.append(payload(i, 100));
      }
      try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.at(1234))) {
        assertThat(c.poll().offset()).isEqualTo(1234);
      }
      try (LogConsumer latest = LogConsumer.atLeastOnce(dir, StartPosition.latest())) {
        assertThat(latest.poll()).isNull();
        p.append(text("new"));
        assertThat(text(latest.poll())).isEqualTo("new");
      }
      assertThatThrownBy(() -> LogConsumer.atLeastOnce(dir, StartPosition.at(5000)))
          .isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  void aSecondProducerOfTheDirectoryGetsAClearError() {
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      assertThatThrownBy(() -> LogProducer.open(small(dir).build()))
          .isInstanceOf(LogLockedException.class)
          .hasMessageContaining("producer.lock").hasMessageContaining("another producer");
    }
    LogProducer.open(small(dir).build()).close(); // released on close
  }

  @Test
  void groupCommitFromFourThreadsKeepsEveryOffsetOnceAndDurable() throws Exception {
    Set<Long> offsets = ConcurrentHashMap.newKeySet();
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < 200; i++) {
            long o = p.append(text("x"));
            assertThat(p.durableOffset()).isGreaterThan(o);
            offsets.add(o);
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(offsets).hasSize(800);
      assertThat(p.endOffset()).isEqualTo(800);
    }
  }

  @Test
  void periodicSyncMakesRecordsDurableWithoutBeingAsked() {
    try (LogProducer p = LogProducer.open(small(dir)
        .syncPolicy(SyncPolicy.periodic(Duration.ofMillis(5))).build())) {
      p.append(text("a"));
      p.append(text("b"));
      TestLogs.await(() -> p.durableOffset() == 2, Duration.ofSeconds(10), "periodic sync");
    }
  }

  @Test
  void syncUnderTheOsPolicyCoversSegmentsSealedWithoutAForce() {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 2000; i++) {
        p.append(payload(i, 100));
      }
      assertThat(p.durableOffset()).isZero();
      p.sync();
      assertThat(p.durableOffset()).isEqualTo(2000);
    }
  }

  @Test
  void badInputIsRejectedWithNothingWritten() {
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      assertThatThrownBy(() -> p.append(new byte[ProducerOptions.MIN_SEGMENT_BYTES]))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("larger");
      assertThatThrownBy(() -> p.append((byte[]) null)).isInstanceOf(InvalidArgumentException.class);
      assertThat(p.endOffset()).isZero();
      assertThat(p.append(new byte[p.endOffset() == 0 ? small(dir).build().maxRecordBytes() : 0]))
          .isZero();
    }
    assertThatThrownBy(() -> small(dir).segmentBytes(100).build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("segment size");
  }

  @Test
  void retentionByBytesDeletesOldestSegments() {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os())
        .maxTotalBytes(4L * ProducerOptions.MIN_SEGMENT_BYTES).build())) {
      for (int i = 0; i < 10_000; i++) {
        p.append(payload(i, 100));
      }
    }
    assertThat(Dirs.segments(dir).size()).isLessThanOrEqualTo(4);
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      LogRecord first = c.poll();
      assertThat(first.offset()).isGreaterThan(0);
      assertThat(first.payload()).isEqualTo(payload(first.offset(), 100));
    }
  }

  @Test
  void aConsumerOverrunByRetentionGetsAClearError() {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os())
        .maxTotalBytes(3L * ProducerOptions.MIN_SEGMENT_BYTES).build());
        LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      p.append(payload(0, 100));
      assertThat(c.poll().offset()).isZero();
      while (Dirs.segments(dir).firstKey() < 1500) { // the first three segments deleted
        p.append(payload(p.endOffset(), 100));
      }
      assertThatThrownBy(() -> {
        for (int i = 0; i < 10_000; i++) {
          c.poll(); // the consumer still maps the first segment, then finds the next one gone
        }
      }).isInstanceOf(LogException.class).hasMessageContaining("deleted by retention");
    }
  }

  @Test
  void typedAppendsGoThroughACodec() {
    RecordCodec<String> utf8 = new RecordCodec<>() {
      @Override
      public byte[] encode(String value) {
        return text(value);
      }

      @Override
      public String decode(byte[] payload) {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
      }
    };
    try (LogProducer p = LogProducer.open(small(dir).build());
        LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      p.append("héllo", utf8);
      assertThat(c.poll().value(utf8)).isEqualTo("héllo");
    }
  }

  @Test
  void retentionByAgeDeletesSealedSegmentsOnRoll() {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os())
        .maxSegmentAge(Duration.ofMillis(1)).build())) {
      for (int i = 0; i < 3000; i++) {
        p.append(payload(i, 100));
      }
      TestLogs.await(() -> {
        p.append(payload(p.endOffset(), 2000)); // rolls every ~30 appends, applying retention
        return Dirs.segments(dir).size() <= 2;
      }, Duration.ofSeconds(10), "aged segments deleted");
    }
  }

  @Test
  void minimumRetentionFailsOrBlocksTheProducerUntilTheConsumerCommits() throws Exception {
    try (LogConsumer registered = LogConsumer.exactlyOnce(dir, "slow")) {
      assertThat(registered.checkpoint()).isZero();
    }
    ProducerOptions fail = small(dir).syncPolicy(SyncPolicy.os())
        .maxTotalBytes(3L * ProducerOptions.MIN_SEGMENT_BYTES)
        .minimumRetention(MinimumRetention.FAIL).build();
    long written = 0;
    try (LogProducer p = LogProducer.open(fail)) {
      assertThatThrownBy(() -> {
        while (true) {
          p.append(payload(p.endOffset(), 100));
        }
      }).isInstanceOf(LogFullException.class).hasMessageContaining("exactly-once consumer");
      written = p.endOffset();
    }
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      assertThat(c.poll().offset()).isZero(); // nothing the consumer needs was deleted
    }
    ProducerOptions block = small(dir).syncPolicy(SyncPolicy.os())
        .maxTotalBytes(3L * ProducerOptions.MIN_SEGMENT_BYTES)
        .minimumRetention(MinimumRetention.BLOCK).blockTimeout(Duration.ofMinutes(1)).build();
    long target = written + 100;
    try (LogProducer p = LogProducer.open(block)) {
      Thread producer = Thread.ofPlatform().start(() -> {
        while (p.endOffset() < target) {
          p.append(payload(p.endOffset(), 100));
        }
      });
      try (LogConsumer slow = LogConsumer.exactlyOnce(dir, "slow")) {
        long consumed = slow.process(Long.MAX_VALUE, (r, attempt) -> {
          assertThat(r.payload()).isEqualTo(payload(r.offset(), 100));
          return r.offset() + 1 >= target ? Outcome.BREAK : Outcome.COMMIT;
        });
        assertThat(consumed).isEqualTo(target - 1);
      }
      producer.join();
    }
  }
}
