package io.tito.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import io.tito.testkit.WrappedEngine.Fault;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Tests the kit itself: runs it on engines with one injected bug each ({@link WrappedEngine.Fault})
 * and checks that the tests meant to catch that bug fail. With
 * {@code -Dtito.testkit.selftest.full=true} it runs the whole kit per fault and prints which tests
 * caught it.
 */
class KitSelfTest {

  /** The engine under test of {@link Faulty}: one fault at a time. */
  private static volatile Fault fault;

  /** The kit on a wrapped memory engine with {@link #fault}. Not run by Surefire directly (nested). */
  static class Faulty extends EngineConformanceTest {
    @Override
    protected Engine createEngine() {
      return new WrappedEngine(new MemoryEngine(), EnumSet.of(fault));
    }

    @Override
    protected Engine reopenEngine(Engine closed) {
      return ((WrappedEngine) closed).reopened();
    }
  }

  /** For each fault, tests of the kit that must fail on it. */
  private static final Map<Fault, List<String>> MUST_CATCH = Map.ofEntries(
      Map.entry(Fault.SIGNED_ORDER, List.of("keysAreOrderedAsUnsignedBytes",
          "everyBoundPairDirectionAndLimitMatchesTheModel", "prefixRangesHoldExactlyTheKeysWithThatPrefix",
          "pagingResumesExactlyAfterTheLastRow", "randomOperationsMatchTheModel")),
      Map.entry(Fault.REVERSE_SCAN_IGNORES_LIMIT, List.of("everyBoundPairDirectionAndLimitMatchesTheModel",
          "limitsOnALargerRange", "limitsCountMergedRowsNotSnapshotRows", "cursorFollowsTheIteratorContract",
          "randomOperationsMatchTheModel")),
      Map.entry(Fault.EXCLUSIVE_BEGIN, List.of("beginIsInclusiveAndEndIsExclusive",
          "everyBoundPairDirectionAndLimitMatchesTheModel", "pagingResumesExactlyAfterTheLastRow",
          "randomOperationsMatchTheModel")),
      Map.entry(Fault.SCAN_END_INCLUSIVE, List.of("beginIsInclusiveAndEndIsExclusive", "beginEqualToEndIsAnEmptyRange",
          "everyBoundPairDirectionAndLimitMatchesTheModel", "randomOperationsMatchTheModel")),
      Map.entry(Fault.BEGIN_AFTER_END_ACCEPTED, List.of("beginAfterEndIsRejected",
          "clearRangeWithBeginAfterEndIsRejected")),
      Map.entry(Fault.EMPTY_VALUE_AS_ABSENT, List.of("emptyValueIsDistinctFromAbsent")),
      Map.entry(Fault.VALUES_CUT_AT_ZERO_BYTE, List.of("everyByteValueRoundTripsInKeysAndValues",
          "randomOperationsMatchTheModel")),
      Map.entry(Fault.PREFIX_MATCH_GET, List.of("absentKeyReadsNull", "clearRemovesOnlyThatKey")),
      Map.entry(Fault.METADATA_IN_KEY_SPACE, List.of("scanOfAnEmptyEngineReturnsNothing")),
      Map.entry(Fault.CLEAR_RANGE_INCLUSIVE_END, List.of("getSeesPendingSetsClearsAndClearedRanges",
          "clearRangeWithBeginEqualToEndClearsNothing", "writeWriteConflicts", "randomOperationsMatchTheModel")),
      Map.entry(Fault.NO_READ_YOUR_WRITES, List.of("getSeesPendingSetsClearsAndClearedRanges",
          "scansMergePendingWritesWithTheSnapshot", "pendingWritesOverTrickyKeysMatchTheModel",
          "limitsCountMergedRowsNotSnapshotRows", "anOpenCursorIsNotDisturbedByLaterWritesOfItsTransaction",
          "randomOperationsMatchTheModel")),
      Map.entry(Fault.SHARED_RETURNED_ARRAYS, List.of("arraysAreCopiedInAndOut")),
      Map.entry(Fault.READ_COMMITTED, List.of("readsStayTheSameWhileOthersCommit",
          "theSnapshotIsFixedNoLaterThanTheFirstRead", "snapshotsOfConcurrentTransactionsAreIndependent")),
      Map.entry(Fault.READ_ONLY_WRITABLE, List.of("readOnlyTransactionsReadAndRejectWrites")),
      Map.entry(Fault.CLAIMS_SERIALIZABLE, List.of("writeSkewIsPreventedWhenSerializable")),
      Map.entry(Fault.LAST_WRITER_WINS, List.of("lostUpdatesArePrevented", "writeWriteConflicts",
          "aConflictingCommitAppliesNothingAndEndsItsTransaction", "concurrentIncrementsAreNotLost",
          "concurrentTransfersConserveMoney")),
      Map.entry(Fault.PARTIAL_COMMIT_ON_CONFLICT, List.of("aConflictingCommitAppliesNothingAndEndsItsTransaction",
          "writeWriteConflicts")),
      Map.entry(Fault.NON_ATOMIC_COMMIT, List.of("commitsAreSeenWholeOrNotAtAll")),
      Map.entry(Fault.FALSE_CONFLICTS, List.of("writeWriteConflicts", "writersOfDisjointKeysNeverConflict")),
      Map.entry(Fault.CONFLICT_WITH_PREVIOUS_COMMIT, List.of("sequentialTransactionsDoNotConflict",
          "aNewTransactionSeesEveryEarlierCommit")),
      Map.entry(Fault.ROLLBACK_COMMITS, List.of("rollbackAndCloseDiscardEveryWrite",
          "uncommittedWritesAreInvisibleToOtherTransactions", "rolledBackWritesCauseNoConflict",
          "uncommittedWritesDoNotSurviveReopen")),
      Map.entry(Fault.NULL_VALUE_CLEARS, List.of("nullKeysAndValuesAreRejected")),
      Map.entry(Fault.LIMITS_OFF_BY_ONE, List.of("keysUpToTheLimitAreAcceptedAndOneByteMoreIsNot",
          "valuesUpToTheLimitAreAcceptedAndOneByteMoreIsNot",
          "transactionsUpToTheSizeLimitAreAcceptedAndOneByteMoreIsNot")),
      Map.entry(Fault.CLOSE_IGNORED, List.of("aClosedEngineRejectsNewTransactions",
          "openTransactionsFailOnTheirNextCallOnceTheEngineCloses", "openCursorsFailOnceTheEngineCloses")),
      Map.entry(Fault.LEAKS_ROLLED_BACK_TRANSACTIONS, List.of("finishedTransactionsReleaseTheirResources")),
      Map.entry(Fault.FORGETS_ON_REOPEN, List.of("durableEnginesCanBeReopened", "pointsRangesAndClearsSurviveReopen",
          "manyKeysAndALargeValueSurviveReopen", "transactionsWorkAfterReopen")),
      Map.entry(Fault.BLANK_NAME, List.of("engineDescribesItself")),
      Map.entry(Fault.LISTEN_RETURNS_NULL, List.of("notificationCallsDoNotDisturbCommits")),
      Map.entry(Fault.GET_ALL_IN_KEY_ORDER, List.of("getAllAnswersEachKeyInTheOrderAsked",
          "largeRandomBatchesMatchOneGetPerKey")),
      Map.entry(Fault.NET_CHANGE_FEED, List.of("feedsReturnEachCommitWithItsOwnWritesVersionAndTime",
          "snapshotPlusChangesReproduceTheCurrentState")));

  @TestFactory
  List<DynamicTest> theKitCatchesEveryInjectedBug() {
    boolean full = Boolean.getBoolean("tito.testkit.selftest.full");
    List<DynamicTest> tests = new ArrayList<>();
    Map<String, Set<Fault>> caughtBy = new java.util.TreeMap<>();
    for (Fault f : Fault.values()) {
      tests.add(DynamicTest.dynamicTest(f.name(), () -> {
        List<String> expected = MUST_CATCH.get(f);
        assertThat(expected).as("tests listed for %s", f).isNotNull();
        List<DiscoverySelector> selectors = new ArrayList<>();
        if (full) {
          selectors.add(selectClass(Faulty.class));
        } else {
          for (String method : expected) {
            selectors.add(selectMethod(Faulty.class.getName() + "#" + method));
          }
        }
        Set<String> failed = run(f, selectors);
        if (full) {
          System.out.println(f + " caught by " + failed);
          failed.forEach(t -> caughtBy.computeIfAbsent(t, x -> EnumSet.noneOf(Fault.class)).add(f));
        }
        assertThat(failed).as("kit tests that failed on an engine with %s", f).containsAll(expected);
      }));
    }
    if (full) {
      tests.add(DynamicTest.dynamicTest("summary", () -> caughtBy.forEach((t, fs) -> System.out.println(t + " <- " + fs))));
    }
    return tests;
  }

  /** Runs the kit with {@code f}; returns the names of the test methods that failed. */
  private static Set<String> run(Fault f, List<DiscoverySelector> selectors) {
    fault = f;
    Set<String> failed = new ConcurrentSkipListSet<>();
    TestPlan[] plan = new TestPlan[1];
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(),
        new TestExecutionListener() {
          @Override
          public void testPlanExecutionStarted(TestPlan testPlan) {
            plan[0] = testPlan;
          }

          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
              methodOf(plan[0], id).ifPresent(failed::add);
            }
          }
        });
    return new TreeSet<>(failed);
  }

  private static Optional<String> methodOf(TestPlan plan, TestIdentifier id) {
    for (TestIdentifier t = id; t != null; t = plan.getParent(t).orElse(null)) {
      if (t.getSource().orElse(null) instanceof MethodSource m) {
        return Optional.of(m.getMethodName());
      }
    }
    return Optional.empty();
  }
}
