package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.testkit.EngineConformanceTest;
import org.junit.jupiter.api.Test;

/**
 * The whole engine conformance kit on an engine with {@link EtcdEngineOptions#serializable()}
 * on: it declares {@link Capability#SERIALIZABLE}, so the kit's write-skew test runs too, and
 * every other contract (first-committer-wins, range clears, read-your-writes, the randomized
 * model) must still hold with the compares on what was read.
 */
class EtcdSerializableConformanceTest extends EngineConformanceTest {

  private String namespace;

  @Override
  protected Engine createEngine() {
    namespace = EtcdCluster.freshNamespace("serializable");
    return EtcdCluster.get().open(EtcdCluster.get().options(namespace).serializable(true));
  }

  @Override
  protected Engine reopenEngine(Engine closed) {
    return EtcdCluster.get().open(EtcdCluster.get().options(namespace).serializable(true));
  }

  @Test
  void declaresSerializableOnlyWhenAskedTo() {
    assertThat(engine().capabilities()).contains(Capability.SERIALIZABLE);
    try (Engine snapshotIsolation = EtcdCluster.get().open(namespace)) {
      assertThat(snapshotIsolation.capabilities()).doesNotContain(Capability.SERIALIZABLE);
    }
  }
}
