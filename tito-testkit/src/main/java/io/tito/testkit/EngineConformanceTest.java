package io.tito.testkit;

import io.tito.spi.Engine;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The engine conformance kit: every test of every contract of the engine SPI, run against one
 * engine. An engine module runs it through a small subclass in its test sources:
 *
 * <pre>{@code
 * class MemoryEngineConformanceTest extends EngineConformanceTest {
 *   protected Engine createEngine() { return new MemoryEngine(); }
 * }
 *
 * class RocksDbEngineConformanceTest extends EngineConformanceTest {
 *   @TempDir Path dir;
 *   protected Engine createEngine() { return RocksDbEngine.open(dir); }
 *   protected Engine reopenEngine(Engine closed) { return RocksDbEngine.open(dir); }
 * }
 * }</pre>
 *
 * <p>Each test gets a new, empty engine from {@link #createEngine()} and the kit closes it after
 * the test. Features an engine lacks ({@link io.tito.spi.Capability}) are skipped through JUnit
 * assumptions, and so are the {@link DurabilityContract} tests when {@link #reopenEngine} returns
 * {@code null}: skipped tests are reported as skipped, never passed.
 *
 * <p>The tests are grouped by contract, one interface each: a test class that implements
 * {@link EngineFixture} itself (with its own setup and teardown) may run only some of them. Every test is
 * bounded in time (a hung engine fails the test instead of hanging the build). Randomized tests
 * print their seed on failure; rerun one with {@code -Dtito.testkit.seed=<seed>}.
 *
 * <p>Decisions the kit asserts where the SPI javadoc leaves room:
 * <ul>
 *   <li>The empty key is a valid key (limits have no minimum size).
 *   <li>A transaction's snapshot is fixed no later than its first read; the kit reads once in
 *       every transaction before another one commits, so engines that take the snapshot at the
 *       first statement (PostgreSQL) are covered.
 *   <li>A cursor shows the transaction's state when the cursor was opened: writes made by the same
 *       transaction afterwards do not disturb it (the pending writes are copied at cursor creation,
 *       as {@link io.tito.spi.BufferedTransaction} does). New cursors see them.
 *   <li>After a transaction ends, its cursors return no more rows (or throw
 *       {@link io.tito.ClosedException}); after the engine closes, every call on an open
 *       transaction or cursor throws {@link io.tito.ClosedException}, never ends a scan early.
 *   <li>Two transactions that clear the same existing key, or overlapping ranges holding an
 *       existing key, conflict; ranges that only touch ({@code [a, b)} and {@code [b, c)}) do not.
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class EngineConformanceTest
    implements PointOperationsContract,
        MultiGetContract,
        ExpectationContract,
        ScanAllContract,
        RangeScanContract,
        ReadYourWritesContract,
        RandomizedModelContract,
        IsolationContract,
        ConflictContract,
        ConcurrencyContract,
        LimitsContract,
        LifecycleContract,
        DurabilityContract,
        MaintenanceContract,
        EngineFaultContract,
        ChangeFeedContract,
        CommitOrderedKeysContract,
        SequencedAppendsContract,
        KeyspaceContract,
        ParallelCommitContract,
        BulkLoadContract {

  private Engine engine;

  /** A new, empty engine for one test; the kit closes it after the test. */
  protected abstract Engine createEngine();

  /**
   * Reopens the store behind {@code closed} (which the kit has just closed) and returns the new
   * engine, or returns {@code null} if this engine cannot be reopened (not durable). Default: null.
   */
  protected Engine reopenEngine(Engine closed) {
    return null;
  }

  @BeforeEach
  final void openEngineForTest() {
    engine = createEngine();
    if (engine == null) {
      throw new IllegalStateException(getClass().getName() + ".createEngine() returned null");
    }
  }

  @AfterEach
  final void closeEngineAfterTest() {
    Engine e = engine;
    engine = null;
    if (e != null) {
      e.close();
    }
  }

  @Override
  public final Engine engine() {
    if (engine == null) {
      throw new IllegalStateException("no engine: the test is not running");
    }
    return engine;
  }

  @Override
  public final Engine reopen() {
    Engine old = engine();
    old.close();
    Engine reopened = reopenEngine(old);
    if (reopened == null) {
      Assumptions.abort("engine '" + old.name() + "' cannot be reopened: "
          + getClass().getSimpleName() + ".reopenEngine returns null (not durable)");
    }
    engine = reopened;
    return reopened;
  }
}
