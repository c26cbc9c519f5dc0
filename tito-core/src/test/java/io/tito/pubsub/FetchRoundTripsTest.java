package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Signals;
import io.tito.memory.MemoryEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a consumer's fetch asks the engine, counting each read call as the round trip it is on a
 * SQL engine (issue 16): the group state, the requeued entries, the log and the next due key are
 * one {@link io.tito.Transaction#scanAll}, where they were a get and three scans.
 */
class FetchRoundTripsTest {

  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final byte[] state = keys.state("t", "g", 0);
  /** Read calls of each read-only transaction that read the group's state (a fetch). */
  private final List<Integer> fetchReads = new CopyOnWriteArrayList<>();
  private final MemoryEngine store = new MemoryEngine();
  private final ForwardingEngine engine = new ForwardingEngine(store) {
    @Override
    public EngineTransaction begin(boolean readOnly) {
      EngineTransaction inner = super.begin(readOnly);
      return new ForwardingEngineTransaction(inner) {
        private int reads;
        private boolean fetch;

        @Override
        public byte[] get(byte[] key) {
          reads++;
          fetch |= Arrays.equals(key, state);
          return super.get(key);
        }

        @Override
        public List<byte[]> getAll(List<byte[]> keys) {
          reads++;
          return super.getAll(keys);
        }

        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          reads++;
          return super.scan(begin, end, options);
        }

        @Override
        public List<List<KeyValue>> scanAll(List<RangeRead> reads) {
          this.reads++;
          for (RangeRead r : reads) {
            fetch |= Arrays.equals(r.range().begin(), state);
          }
          return inner.scanAll(reads);
        }

        @Override
        public void close() {
          if (readOnly && fetch) {
            fetchReads.add(reads);
          }
          super.close();
        }
      };
    }
  };
  private final Tito tito = Tito.builder().engine(engine).build();
  private final Topics topics = tito.topics();
  private Subscription sub;

  @AfterEach
  void close() {
    if (sub != null) {
      sub.close(Duration.ofSeconds(5));
    }
    tito.close();
  }

  /**
   * A consumer that keeps up, one event at a time: after the first fetch (which does not know
   * where the log starts yet), every fetch is one read call. The events come from another process
   * on the same store, each followed by the wake-up its notification would bring (this process's
   * own publishes are handed over without a fetch).
   */
  @Test
  void aFetchThatKeepsUpIsOneReadCall() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    AtomicInteger handled = new AtomicInteger();
    sub = topics.subscribe("t", "g", e -> handled.incrementAndGet(),
        Await.fast().start(StartPosition.EARLIEST).build());
    Tito other = Tito.open(new ForwardingEngine(store) {
      @Override
      public void close() {
        // the store is this test's engine's
      }
    });
    for (int i = 0; i < 20; i++) {
      other.topics().publish("t", Message.of("k", new byte[] {(byte) i}));
      Signals.of(engine).wake("t", 0);
      int want = i + 1;
      Await.until("event " + i + " handled", () -> handled.get() >= want);
    }
    other.close();
    assertThat(handled.get()).isEqualTo(20);
    List<Integer> reads = List.copyOf(fetchReads);
    assertThat(reads).as("fetches").hasSizeGreaterThan(10);
    assertThat(reads.subList(1, reads.size())).as("read calls per fetch after the first")
        .allMatch(n -> n == 1);
  }

  /**
   * A handler failure leaves the checkpoint behind the log events the fetch read, so the next
   * fetch's guess of where the log starts is wrong: it reads the log again from the checkpoint,
   * and the event is retried, then the rest delivered in order.
   */
  @Test
  void aFetchAfterARetryReadsTheLogFromTheCheckpoint() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    for (int i = 0; i < 6; i++) {
      topics.publish("t", Message.of("k", new byte[] {(byte) i}));
    }
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    sub = topics.subscribe("t", "g", e -> {
      int n = e.payload()[0];
      if (n == 2 && failures.getAndIncrement() < 2) {
        throw new IllegalStateException("fails twice");
      }
      seen.add(n);
    }, Await.fast().fetchSize(4).start(StartPosition.EARLIEST).build());
    Await.until("all handled", () -> seen.size() >= 6);
    assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(failures.get()).isEqualTo(3);
  }
}
