package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.RetryPolicy;
import io.tito.ScanOptions;
import io.tito.spi.EngineLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Public option records validate in their canonical constructors, not only in builders, and name
 * the bad setting.
 */
class OptionValidationTest {

  private static final SubscribeOptions D = SubscribeOptions.DEFAULTS;
  private static final Duration S = Duration.ofSeconds(1);

  /** The defaults with one component replaced, through the canonical constructor. */
  private static SubscribeOptions with(String setting, Object value) {
    Map<String, Object> v = new HashMap<>();
    v.put("start", D.start());
    v.put("maxAttempts", D.maxAttempts());
    v.put("initialBackoff", D.initialBackoff());
    v.put("maxBackoff", D.maxBackoff());
    v.put("concurrency", D.concurrency());
    v.put("fetchSize", D.fetchSize());
    v.put("pollInterval", D.pollInterval());
    v.put("heartbeatInterval", D.heartbeatInterval());
    v.put("leaseTimeout", D.leaseTimeout());
    v.put("shutdownTimeout", D.shutdownTimeout());
    v.put("retentionInterval", D.retentionInterval());
    v.put("handlerTimeout", D.handlerTimeout());
    v.put("checkpointEvery", D.checkpointEvery());
    v.put("checkpointDelay", D.checkpointDelay());
    v.put(setting, value);
    Function<String, Duration> d = k -> (Duration) v.get(k);
    return new SubscribeOptions((StartPosition) v.get("start"), (Integer) v.get("maxAttempts"),
        d.apply("initialBackoff"), d.apply("maxBackoff"), (Integer) v.get("concurrency"),
        (Integer) v.get("fetchSize"), d.apply("pollInterval"), d.apply("heartbeatInterval"),
        d.apply("leaseTimeout"), d.apply("shutdownTimeout"), d.apply("retentionInterval"),
        d.apply("handlerTimeout"), (Integer) v.get("checkpointEvery"), d.apply("checkpointDelay"));
  }

  static Stream<Arguments> badSubscribeOptions() {
    return Stream.of(
        Arguments.of("start", null),
        Arguments.of("maxAttempts", 0),
        Arguments.of("initialBackoff", Duration.ZERO),
        Arguments.of("initialBackoff", null),
        Arguments.of("maxBackoff", Duration.ofMillis(1)),
        Arguments.of("concurrency", 0),
        Arguments.of("fetchSize", -1),
        Arguments.of("pollInterval", Duration.ofSeconds(-1)),
        Arguments.of("heartbeatInterval", null),
        Arguments.of("leaseTimeout", S),
        Arguments.of("shutdownTimeout", Duration.ofMillis(-1)),
        Arguments.of("retentionInterval", Duration.ZERO),
        Arguments.of("handlerTimeout", Duration.ZERO),
        Arguments.of("handlerTimeout", null),
        Arguments.of("checkpointEvery", 0),
        Arguments.of("checkpointDelay", Duration.ZERO),
        Arguments.of("checkpointDelay", null));
  }

  private static void assertNames(String setting, ThrowingCallable call) {
    InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, call);
    assertThat(e).as("InvalidArgumentException for " + setting).isNotNull();
    assertThat(e.context()).containsEntry("setting", setting);
    assertThat(e.getMessage()).contains(setting);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badSubscribeOptions")
  void theSubscribeOptionsConstructorNamesTheBadSetting(String setting, Object value) {
    assertNames(setting, () -> with(setting, value));
  }

  @Test
  void theBuilderReportsTheSameSetting() {
    assertNames("fetchSize", () -> SubscribeOptions.builder().fetchSize(0).build());
    assertNames("leaseTimeout", () -> SubscribeOptions.builder()
        .heartbeatInterval(Duration.ofSeconds(5)).leaseTimeout(Duration.ofSeconds(10)).build());
    assertThat(with("maxAttempts", 1).maxAttempts()).isEqualTo(1);
    assertNames("checkpointEvery", () -> SubscribeOptions.builder().checkpointEvery(0, S).build());
  }

  @Test
  void theConstructorWithoutCheckpointSettingsKeepsTheirDefaults() {
    SubscribeOptions old = new SubscribeOptions(D.start(), D.maxAttempts(), D.initialBackoff(),
        D.maxBackoff(), D.concurrency(), D.fetchSize(), D.pollInterval(), D.heartbeatInterval(),
        D.leaseTimeout(), D.shutdownTimeout(), D.retentionInterval(), D.handlerTimeout());
    assertThat(old).isEqualTo(D);
    assertThat(D.checkpointEvery()).isEqualTo(SubscribeOptions.DEFAULT_CHECKPOINT_EVERY);
    assertThat(D.toBuilder().checkpointEvery(1, S).build().toBuilder().build().checkpointEvery())
        .isEqualTo(1);
  }

  @Test
  void topicConfigNamesTheBadSetting() {
    assertNames("partitions", () -> new TopicConfig(0, Duration.ZERO));
    assertNames("partitions", () -> new TopicConfig(TopicConfig.MAX_PARTITIONS + 1, Duration.ZERO));
    assertNames("retention", () -> new TopicConfig(1, null));
    assertNames("retention", () -> new TopicConfig(1, Duration.ofSeconds(-1)));
  }

  @Test
  void retryPolicyNamesTheBadSetting() {
    assertNames("maxAttempts", () -> new RetryPolicy(0, S, S, S, false));
    assertNames("maxElapsed", () -> new RetryPolicy(1, null, S, S, false));
    assertNames("initialBackoff", () -> new RetryPolicy(1, S, Duration.ofMillis(-1), S, false));
    assertNames("maxBackoff", () -> new RetryPolicy(1, S, S, Duration.ofMillis(1), false));
  }

  @Test
  void messageNamesWhatIsMissing() {
    assertNames("key", () -> new Message(null, new byte[0], Map.of(), null));
    assertNames("payload", () -> new Message("k", null, Map.of(), null));
    assertNames("headers", () -> new Message("k", new byte[0], null, null));
    assertNames("id", () -> Message.of("k", new byte[0]).withId(null));
    UUID id = UUID.randomUUID();
    assertThat(new Message("k", new byte[0], Map.of(), null, id).id()).isEqualTo(id);
  }

  @Test
  void otherPublicRecordsNameTheBadSetting() {
    assertNames("time", () -> new StartPosition(StartPosition.Kind.TIME, null));
    assertNames("kind", () -> new StartPosition(null, null));
    assertNames("limit", () -> new ScanOptions(false, -1));
    assertNames("maxValueSize", () -> new EngineLimits(1, 0, 1));
    assertNames("end", () -> new KeyRange(new byte[0], null));
    assertNames("payload", () -> new Event("t", 0, 0, UUID.randomUUID(), "k", null, Map.of(),
        Instant.EPOCH, null));
    assertThatThrownBy(() -> new Event("t", 0, 0, null, "k", new byte[0], Map.of(), Instant.EPOCH,
        null)).isInstanceOf(InvalidArgumentException.class);
  }
}
