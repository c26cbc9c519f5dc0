package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.tito.testkit.FaultPoints.Point;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit's WAL_SYNC test is wired to the real syncer: declared for {@link Durability#PERIODIC},
 * which lets commits be read before they are synced, it fails (and it passes for GROUP, in
 * {@link RocksDbEngineConformanceTest}).
 */
class RocksDbFaultPointsSelfTest {

  /** PERIODIC wrongly declaring the WAL sync fault point. Not run by Surefire directly (nested). */
  static class PeriodicClaimingWalSync extends RocksDbConformanceSupport {
    @Override
    Durability durability() {
      return Durability.PERIODIC;
    }

    @Override
    Set<Point> faultPoints() {
      return EnumSet.allOf(Point.class);
    }
  }

  @Test
  void theWalSyncTestFailsOnAModeThatReadsUnsyncedCommits() {
    Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
            .selectors(selectMethod(PeriodicClaimingWalSync.class.getName()
                + "#noTransactionReadsACommitWhoseSyncIsHeldAndTheCommitWaitsForIt"))
            .build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              results.put(id.getDisplayName(), result);
            }
          }
        });
    assertThat(results).hasSize(1);
    TestExecutionResult r = results.values().iterator().next();
    assertThat(r.getStatus()).as("kit test on PERIODIC declaring WAL_SYNC: %s", r).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(r.getThrowable()).get().asString().contains("while the sync of its commit is held");
  }
}
