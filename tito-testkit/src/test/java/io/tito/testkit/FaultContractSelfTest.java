package io.tito.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.testkit.FaultPoints.Point;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Tests {@link EngineFaultContract} and {@link ParallelCommitContract} themselves: engines whose
 * commit machinery is broken in the way each test is about must fail it, and a correct engine must
 * pass.
 */
class FaultContractSelfTest {

  enum Bug {
    /** Nothing wrong: the memory engine with its commit lock declared. */
    NONE,
    /** A commit applies its writes one at a time and publishes each: half a commit is visible. */
    COMMIT_APPLIED_IN_PIECES,
    /** A commit is readable before its sync (what a periodic-sync engine does) yet claims WAL_SYNC. */
    READABLE_BEFORE_SYNC,
    /** Commits serialised under one lock, yet PARALLEL_COMMITS declared (pause point in the lock). */
    SERIAL_COMMITS_CLAIMED_PARALLEL
  }

  private static volatile Bug bug;

  /** The contract on a memory engine with {@link #bug}. Not run by Surefire directly (nested). */
  static class Faulty extends EngineConformanceTest {
    private FaultSwitchboard board;

    @Override
    protected Engine createEngine() {
      MemoryEngine memory = new MemoryEngine();
      board = new FaultSwitchboard(EnumSet.allOf(Point.class));
      FaultSwitchboard b = board;
      return switch (bug) {
        case NONE -> {
          memory.onCommitApplied(() -> b.reached(Point.COMMIT_LOCK));
          yield new BuggyEngine(memory, b, Bug.NONE);
        }
        case SERIAL_COMMITS_CLAIMED_PARALLEL -> {
          memory.onCommitApplied(() -> b.reached(Point.COMMIT_CHECKED));
          yield new BuggyEngine(memory, b, bug);
        }
        case COMMIT_APPLIED_IN_PIECES, READABLE_BEFORE_SYNC -> new BuggyEngine(memory, b, bug);
      };
    }

    @Override
    public Optional<FaultPoints> faults() {
      return Optional.of(board);
    }
  }

  private static final String COMMIT_LOCK_TEST = "aCommitHeldInsideTheCommitLockIsSeenWholeAndConcurrentCommitsStillConflict";
  private static final String PARALLEL_TEST = "aCommitOnDisjointKeysCompletesWhileAnotherIsHeldInsideItsCommit";
  private static final String WAL_SYNC_TEST = "noTransactionReadsACommitWhoseSyncIsHeldAndTheCommitWaitsForIt";

  @Test
  void aCommitAppliedInPiecesIsCaughtAtTheCommitLock() {
    assertThat(run(Bug.COMMIT_APPLIED_IN_PIECES, COMMIT_LOCK_TEST)).isEqualTo(TestExecutionResult.Status.FAILED);
  }

  @Test
  void aCommitReadableBeforeItsSyncIsCaught() {
    assertThat(run(Bug.READABLE_BEFORE_SYNC, WAL_SYNC_TEST)).isEqualTo(TestExecutionResult.Status.FAILED);
  }

  /** Waits for the kit's deadline ({@link Workers#DEADLINE_SECONDS}) before it can fail. */
  @Test
  void serialCommitsClaimingParallelCommitsAreCaught() {
    assertThat(run(Bug.SERIAL_COMMITS_CLAIMED_PARALLEL, PARALLEL_TEST)).isEqualTo(TestExecutionResult.Status.FAILED);
  }

  @Test
  void aCorrectCommitLockPasses() {
    assertThat(run(Bug.NONE, COMMIT_LOCK_TEST)).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
  }

  private static TestExecutionResult.Status run(Bug b, String method) {
    bug = b;
    Map<String, TestExecutionResult> results = new java.util.concurrent.ConcurrentHashMap<>();
    LauncherFactory.create().execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(Faulty.class.getName() + "#" + method)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              results.put(id.getDisplayName(), result);
              result.getThrowable().ifPresent(t -> System.out.println(b + ": " + t));
            }
          }
        });
    assertThat(results).as("tests run for %s", b).hasSize(1);
    return results.values().iterator().next().getStatus();
  }

  /** Passes everything to a memory engine, except for its bug. */
  private static final class BuggyEngine extends ForwardingEngine {
    private final FaultSwitchboard board;
    private final Bug bug;

    BuggyEngine(Engine delegate, FaultSwitchboard board, Bug bug) {
      super(delegate);
      this.board = board;
      this.bug = bug;
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      EngineTransaction tx = delegate().begin(readOnly);
      return bug == Bug.NONE || bug == Bug.SERIAL_COMMITS_CLAIMED_PARALLEL ? tx : new BuggyTransaction(tx);
    }

    @Override
    public java.util.Set<io.tito.spi.Capability> capabilities() {
      if (bug != Bug.SERIAL_COMMITS_CLAIMED_PARALLEL) {
        return super.capabilities();
      }
      java.util.Set<io.tito.spi.Capability> caps = java.util.EnumSet.noneOf(io.tito.spi.Capability.class);
      caps.addAll(super.capabilities());
      caps.add(io.tito.spi.Capability.PARALLEL_COMMITS);
      return caps;
    }

    private final class BuggyTransaction extends ForwardingEngineTransaction {
      private final List<Consumer<EngineTransaction>> writes = new ArrayList<>();

      BuggyTransaction(EngineTransaction delegate) {
        super(delegate);
      }

      @Override
      public void set(byte[] key, byte[] value) {
        super.set(key, value);
        byte[] k = key.clone();
        byte[] v = value.clone();
        writes.add(t -> t.set(k, v));
      }

      @Override
      public void clear(byte[] key) {
        super.clear(key);
        byte[] k = key.clone();
        writes.add(t -> t.clear(k));
      }

      @Override
      public void commit() {
        if (bug == Bug.READABLE_BEFORE_SYNC) {
          super.commit();
          board.reached(Point.WAL_SYNC);
          return;
        }
        if (writes.isEmpty()) {
          super.commit();
          return;
        }
        // Each write in its own commit, pausing after the first.
        delegate().rollback();
        for (int i = 0; i < writes.size(); i++) {
          try (EngineTransaction one = BuggyEngine.this.delegate().begin(false)) {
            writes.get(i).accept(one);
            one.commit();
          }
          if (i == 0) {
            board.reached(Point.COMMIT_LOCK);
          }
        }
      }
    }
  }
}
