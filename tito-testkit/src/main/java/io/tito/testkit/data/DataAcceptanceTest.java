package io.tito.testkit.data;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.spi.Engine;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The data acceptance kit: models, CRUD, versions, soft delete, every index kind (unique under
 * concurrency too), queries with continuations, full scans, relationships, online index build and
 * drop, run against one engine. An engine module runs it through a small subclass:
 *
 * <pre>{@code
 * class MemoryDataAcceptanceTest extends DataAcceptanceTest {
 *   protected Engine createEngine() { return new MemoryEngine(); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new, empty engine from {@link #createEngine()}, wrapped in a {@link Tito}
 * with default settings, and a {@link DataStore} of the {@link DataModels} with a
 * {@link ManualClock}; the kit closes them after the test. Contracts are interfaces, so a module
 * may run one alone. Every test is bounded in time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class DataAcceptanceTest
    implements CrudContract, IndexContract, QueryContract, RelationshipContract,
        OnlineIndexContract, AtomicWriteContract, IndexMetadataContract,
        IndexStateAcrossStoresContract {

  private Tito tito;
  private ManualClock clock;
  private Models models;
  private DataStore data;

  /** A new, empty engine for one test; the kit closes it after the test. */
  protected abstract Engine createEngine();

  @BeforeEach
  final void openStore() {
    Engine engine = createEngine();
    if (engine == null) {
      throw new IllegalStateException(getClass().getName() + ".createEngine() returned null");
    }
    clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    models = Models.create();
    tito = Tito.builder().engine(engine).clock(clock)
        .with(DataStore.models(models.users(), models.authors(), models.tags(), models.posts(),
            models.products(), models.orders()))
        .build();
    data = tito.module(DataStore.class);
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
  public final ManualClock clock() {
    return clock;
  }

  @Override
  public final DataStore data() {
    return data;
  }

  @Override
  public final Models models() {
    return models;
  }
}
