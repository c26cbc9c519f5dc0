package io.tito.testkit.events;

import io.tito.Tito;
import io.tito.events.EventStore;
import io.tito.spi.Engine;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The event-store acceptance kit: streams and expected versions, the commit-ordered {@code $all}
 * with late committers, idempotency, aliases under concurrency, aggregates, snapshots and the
 * snapshotter, run against one engine. An engine module runs it through a small subclass:
 *
 * <pre>{@code
 * class MemoryEventStoreAcceptanceTest extends EventStoreAcceptanceTest {
 *   protected Engine createEngine() { return new MemoryEngine(); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new, empty engine wrapped in a {@link Tito} with an {@link EventStore};
 * the kit closes them after the test. Contracts are interfaces, so a module may run one alone.
 * Engines without {@link io.tito.spi.Capability#COMMIT_ORDERED_KEYS} run every test on the
 * fallback sequence key; only the test that appends to distinct streams without conflicts is
 * skipped for them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class EventStoreAcceptanceTest
    implements StreamContract, StreamPositionContract, AllStreamContract, IdempotencyContract, EventConcurrencyContract,
        AggregateContract, ProjectionContract, SubscriptionContract, SubscriptionControlContract,
        ConsumerHistoryContract {

  private Tito tito;
  private EventStore events;

  /** A new, empty engine for one test; the kit closes it after the test. */
  protected abstract Engine createEngine();

  @BeforeEach
  final void openStore() {
    Engine engine = createEngine();
    if (engine == null) {
      throw new IllegalStateException(getClass().getName() + ".createEngine() returned null");
    }
    tito = Tito.builder().engine(engine).with(EventStore.builder()).build();
    events = tito.module(EventStore.class);
  }

  @AfterEach
  final void closeStore() {
    if (tito != null) {
      tito.close();
      tito = null;
    }
  }

  @Override
  public final Tito tito() {
    return tito;
  }

  @Override
  public final EventStore events() {
    return events;
  }

  /**
   * The engine's pause points: override to declare them (see {@link EventStoreFixture#faults()}).
   */
  @Override
  public java.util.Optional<io.tito.testkit.FaultPoints> faults() {
    return java.util.Optional.empty();
  }
}
