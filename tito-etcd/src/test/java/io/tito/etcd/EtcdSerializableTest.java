package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Serializable transactions ({@link EtcdEngineOptions#serializable()}) beyond the kit's write
 * skew: what a scan read (phantoms inserted into its range, keys it returned deleted or changed)
 * and what a point read saw is checked at commit; what it did not read is not.
 */
class EtcdSerializableTest {

  private final EtcdCluster cluster = EtcdCluster.get();

  @Test
  void aKeyInsertedIntoAScannedRangeMakesTheCommitConflict() {
    assertConflict(other -> commit(other, tx -> tx.set(b("r/5"), b("phantom"))));
  }

  @Test
  void aScannedKeyDeletedAfterTheSnapshotMakesTheCommitConflict() {
    assertConflict(other -> commit(other, tx -> tx.clear(b("r/2"))));
  }

  @Test
  void aScannedKeyChangedAfterTheSnapshotMakesTheCommitConflict() {
    assertConflict(other -> commit(other, tx -> tx.set(b("r/1"), b("changed"))));
  }

  @Test
  void aKeyReadAsAbsentAndCreatedAfterTheSnapshotMakesTheCommitConflict() {
    String ns = EtcdCluster.freshNamespace("serializable-absent");
    try (EtcdEngine a = open(ns); EtcdEngine b = open(ns)) {
      try (EngineTransaction tx = a.begin(false)) {
        assertThat(tx.get(b("absent"))).isNull();
        commit(b, other -> other.set(b("absent"), b("now here")));
        tx.set(b("out"), b("1"));
        assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
      }
    }
  }

  @Test
  void writesBeyondWhatALimitedScanCoveredDoNotConflict() {
    String ns = EtcdCluster.freshNamespace("serializable-limit");
    try (EtcdEngine a = open(ns); EtcdEngine b = open(ns)) {
      commit(a, tx -> {
        for (int i = 1; i <= 4; i++) {
          tx.set(b("r/" + i), b("v"));
        }
      });
      try (EngineTransaction tx = a.begin(false)) {
        List<KeyValue> firstTwo = tx.scan(b("r/"), b("r0"), ScanOptions.FORWARD.withLimit(2)).toList();
        assertThat(firstTwo).hasSize(2);
        commit(b, other -> other.set(b("r/9"), b("after the part the scan read")));
        tx.set(b("out"), b("1"));
        tx.commit();
      }
      try (EngineTransaction tx = a.begin(false)) {
        assertThat(tx.get(b("out"))).isEqualTo(b("1"));
      }
    }
  }

  @Test
  void snapshotIsolationIgnoresWhatWasOnlyRead() {
    String ns = EtcdCluster.freshNamespace("si-reads");
    try (EtcdEngine a = cluster.open(ns); EtcdEngine b = cluster.open(ns)) {
      try (EngineTransaction tx = a.begin(false)) {
        tx.scan(b("r/"), b("r0"), ScanOptions.FORWARD).toList();
        commit(b, other -> other.set(b("r/5"), b("phantom")));
        tx.set(b("out"), b("1"));
        tx.commit();
      }
    }
  }

  /** Scans r/ (keys r/1 to r/3), lets {@code change} commit in another engine, then writes elsewhere. */
  private void assertConflict(Consumer<EtcdEngine> change) {
    String ns = EtcdCluster.freshNamespace("serializable-scan");
    try (EtcdEngine a = open(ns); EtcdEngine b = open(ns)) {
      commit(a, tx -> {
        for (int i = 1; i <= 3; i++) {
          tx.set(b("r/" + i), b("v"));
        }
      });
      try (EngineTransaction tx = a.begin(false)) {
        assertThat(tx.scan(b("r/"), b("r0"), ScanOptions.FORWARD).toList()).hasSize(3);
        change.accept(b);
        tx.set(b("out"), b("1"));
        assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
      }
      try (EngineTransaction tx = a.begin(true)) {
        assertThat(tx.get(b("out"))).as("the conflicting commit applied nothing").isNull();
      }
    }
  }

  private EtcdEngine open(String ns) {
    return cluster.open(cluster.options(ns).serializable(true));
  }

  private static void commit(EtcdEngine engine, Consumer<EngineTransaction> body) {
    try (EngineTransaction tx = engine.begin(false)) {
      body.accept(tx);
      tx.commit();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
