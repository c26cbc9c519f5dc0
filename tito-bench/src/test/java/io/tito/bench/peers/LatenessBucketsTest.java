package io.tito.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.bench.peers.ScheduledSystems.Recorder;
import org.junit.jupiter.api.Test;

class LatenessBucketsTest {

  /** 300 events due 1 ms apart; the second 100 ms bucket has one event 80 ms late, one 30 ms. */
  @Test
  void showsOnlyBucketsWithALateEventAndTheirP99AndMax() {
    int events = 300;
    Recorder r = new Recorder(events);
    long base = 1_000_000;
    for (int i = 0; i < events; i++) {
      r.due[i] = base + i * 1_000L;
      r.handled(i, r.due[i] + 2_000);
    }
    r.firstAt[150] = r.due[150] + 80_000;
    r.firstAt[151] = r.due[151] + 30_000;
    assertThat(LatenessBuckets.lines(r, base, events))
        .containsExactly("  due   0.1 s: 100 events, p99 30.0 ms, max 80.0 ms");
  }
}
