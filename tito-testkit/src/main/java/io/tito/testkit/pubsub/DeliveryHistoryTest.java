package io.tito.testkit.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.spi.Engine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery acceptance test: runs a {@link DeliveryScenario} (concurrent producers with
 * random delays, aborts and scheduled events; three groups, one transactional; workers joining,
 * leaving and crashing) on one engine and checks the recorded history with {@link
 * HistoryChecker}: no loss, no phantom, per-partition order per group, nothing before its due
 * time, exactly-once for the transactional group. An engine module runs it through a subclass:
 *
 * <pre>{@code
 * class MemoryDeliveryHistoryTest extends DeliveryHistoryTest {
 *   protected Engine createEngine() { return new MemoryEngine(); }
 * }
 * }</pre>
 *
 * Asserts nothing about timing; the timeout only bounds a hung run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class DeliveryHistoryTest {

  /** A new, empty engine; the test closes it. */
  protected abstract Engine createEngine();

  /** The scenario's settings; engines that are slow per transaction may run a smaller one. */
  protected DeliveryScenario.Settings settings() {
    return DeliveryScenario.Settings.defaults();
  }

  @Test
  void historyOfConcurrentProducersAndChurningWorkersIsCorrect() throws Exception {
    DeliveryScenario.Settings settings = settings();
    try (Tito tito = Tito.open(createEngine())) {
      DeliveryScenario scenario = new DeliveryScenario(tito, settings);
      DeliveryScenario.Stats stats = scenario.run();
      List<String> violations = HistoryChecker.check(scenario.history());
      assertThat(violations).as("violations (seed %d, %s)", settings.seed(), stats).isEmpty();
      assertThat(stats.committed()).as("committed events").isPositive();
      assertThat(stats.aborted()).as("aborted events").isPositive();
      assertThat(stats.scheduled()).as("scheduled events").isPositive();
      assertThat(stats.closed()).as("workers closed").isPositive();
      assertThat(stats.crashed()).as("workers crashed").isPositive();
    }
  }
}
