package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.internal.pubsub.Requeued;
import io.tito.tuple.Tuple;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequeuedFormatTest {

  @Test
  void anEntryWrittenBeforeAttemptsWereKeptPerItemDecodesWithNone() {
    UUID id = UUID.randomUUID();
    Requeued r = Requeued.decode(Tuple.of(5L, new byte[] {1}, id).pack());
    assertThat(r.position()).isEqualTo(5);
    assertThat(r.id()).isEqualTo(id);
    assertThat(r.attempts()).isZero();
    assertThat(r.lastError()).isNull();
  }

  @Test
  void anEntryRoundTripsWithItsOwnCount() {
    UUID id = UUID.randomUUID();
    Requeued r = Requeued.decode(
        new Requeued(7, new byte[] {2}, id, 3, 1234, "boom").encode());
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.retryAtMillis()).isEqualTo(1234);
    assertThat(r.lastError()).isEqualTo("boom");
  }
}
