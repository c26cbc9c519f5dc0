package io.tito.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.pubsub.SubscribeOptions;
import io.tito.spring.TitoListener;
import io.tito.spring.TitoProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code tito.subscription.checkpoint-*} reach the listener's {@link SubscribeOptions}. */
class SubscriptionDefaultsTest {

  @TitoListener(topic = "t", group = "g")
  void listener() {}

  private static TitoListener annotation() throws Exception {
    return SubscriptionDefaultsTest.class.getDeclaredMethod("listener").getAnnotation(TitoListener.class);
  }

  @Test
  void checkpointSettingsAreAppliedAndUnsetOnesKeepTheDefaults() throws Exception {
    TitoProperties.Subscription s = new TitoProperties.Subscription();
    SubscribeOptions none = SubscriptionDefaults.options(s, annotation());
    assertThat(none.checkpointEvery()).isEqualTo(SubscribeOptions.DEFAULT_CHECKPOINT_EVERY);
    assertThat(none.checkpointDelay()).isEqualTo(SubscribeOptions.DEFAULT_CHECKPOINT_DELAY);

    s.setCheckpointEvery(1);
    SubscribeOptions every = SubscriptionDefaults.options(s, annotation());
    assertThat(every.checkpointEvery()).isEqualTo(1);
    assertThat(every.checkpointDelay()).isEqualTo(SubscribeOptions.DEFAULT_CHECKPOINT_DELAY);

    s.setCheckpointDelay(Duration.ofMillis(7));
    assertThat(SubscriptionDefaults.options(s, annotation()).checkpointDelay())
        .isEqualTo(Duration.ofMillis(7));
  }
}
