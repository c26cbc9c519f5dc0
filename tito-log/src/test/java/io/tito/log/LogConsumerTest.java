package io.tito.log;

import static io.tito.log.TestLogs.small;
import static io.tito.log.TestLogs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogConsumerTest {

  @TempDir
  Path dir;

  private static final Backoff FAST =
      Backoff.of(Duration.ofMillis(1), Duration.ofMillis(2), Backoff.Jitter.NONE);

  @Test
  void blockingTakeIsWokenByAnAppendOfThisProcess() throws Exception {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build());
        LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      List<String> got = new CopyOnWriteArrayList<>();
      Thread reader = Thread.ofPlatform().start(() -> {
        Iterator<LogRecord> it = c.iterator();
        while (got.size() < 3 && it.hasNext()) {
          got.add(text(it.next()));
        }
      });
      TestLogs.await(() -> reader.getState() == Thread.State.TIMED_WAITING
          || reader.getState() == Thread.State.WAITING, Duration.ofSeconds(10), "reader waiting");
      p.append(text("a"));
      p.append(text("b"));
      p.append(text("c"));
      reader.join();
      assertThat(got).containsExactly("a", "b", "c");
      assertThat(c.take(Duration.ofMillis(1))).isNull();
    }
  }

  @Test
  void nonBlockingPollAndProcessStopAtMaxOrWhatIsThere() {
    try (LogProducer p = LogProducer.open(small(dir).build());
        LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.oldest())) {
      for (int i = 0; i < 5; i++) {
        p.append(text("r" + i));
      }
      assertThat(c.poll(2)).extracting(TestLogs::text).containsExactly("r0", "r1");
      assertThat(c.processAvailable(10, (r, a) -> Outcome.COMMIT)).isEqualTo(3);
      assertThat(c.poll(10)).isEmpty();
      assertThat(c.processAvailable(10, (r, a) -> Outcome.COMMIT)).isZero();
    }
  }

  @Test
  void outcomesCommitRetrySkipAndBreak() throws Exception {
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      for (String s : List.of("ok", "flaky", "bad", "stop", "after")) {
        p.append(text(s));
      }
    }
    List<String> seen = new ArrayList<>();
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "outcomes").retryBackoff(FAST)) {
      long n = c.process(Long.MAX_VALUE, (r, attempt) -> {
        String s = text(r);
        seen.add(s + "#" + attempt);
        return switch (s) {
          case "flaky" -> attempt < 3 ? Outcome.RETRY : Outcome.COMMIT;
          case "bad" -> Outcome.SKIP;
          case "stop" -> Outcome.BREAK;
          default -> Outcome.COMMIT;
        };
      });
      assertThat(n).isEqualTo(3);
      assertThat(seen).containsExactly("ok#1", "flaky#1", "flaky#2", "flaky#3", "bad#1", "stop#1");
      assertThat(c.checkpoint()).isEqualTo(3);
      assertThat(text(c.poll())).isEqualTo("stop"); // a break leaves the record next
    }
    try (LogConsumer again = LogConsumer.exactlyOnce(dir, "outcomes")) {
      assertThat(again.checkpoint()).isEqualTo(3);
      assertThat(text(again.poll())).isEqualTo("stop");
    }
  }

  @Test
  void anExactlyOnceConsumerResumesAfterItsLastCommitAndIsExclusivePerId() {
    try (LogProducer p = LogProducer.open(small(dir).build())) {
      for (int i = 0; i < 10; i++) {
        p.append(text("r" + i));
      }
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "a")) {
      assertThatThrownBy(() -> LogConsumer.exactlyOnce(dir, "a"))
          .isInstanceOf(LogLockedException.class).hasMessageContaining("id-a");
      LogRecord r = null;
      for (int i = 0; i < 4; i++) {
        r = c.poll();
      }
      c.commit(r);
      c.poll(); // read, not committed
      assertThatThrownBy(() -> c.commit(new LogRecord(99, new byte[0])))
          .isInstanceOf(io.tito.InvalidArgumentException.class);
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "a");
        LogConsumer global = LogConsumer.globalExactlyOnce(dir);
        LogConsumer other = LogConsumer.exactlyOnce(dir, "b")) {
      assertThat(text(c.poll())).isEqualTo("r4");
      assertThat(text(global.poll())).isEqualTo("r0");
      assertThat(text(other.poll())).isEqualTo("r0");
      assertThatThrownBy(() -> LogConsumer.globalExactlyOnce(dir))
          .isInstanceOf(LogLockedException.class);
    }
    assertThatThrownBy(() -> LogConsumer.exactlyOnce(dir, "../x"))
        .isInstanceOf(io.tito.InvalidArgumentException.class);
  }

  @Test
  void checkpointsSurviveManyCommitsAcrossCompaction() {
    try (LogProducer p = LogProducer.open(small(dir).syncPolicy(SyncPolicy.os()).build())) {
      for (int i = 0; i < 5000; i++) {
        p.append(text("r" + i));
      }
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "many")) {
      assertThat(c.processAvailable(4500, (r, a) -> Outcome.COMMIT)).isEqualTo(4500);
    }
    try (LogConsumer c = LogConsumer.exactlyOnce(dir, "many")) {
      assertThat(c.checkpoint()).isEqualTo(4500);
      assertThat(text(c.poll())).isEqualTo("r4500");
    }
  }
}
