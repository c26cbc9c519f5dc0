package io.tito.etcd;

import io.tito.spi.Engine;
import io.tito.testkit.EngineConformanceTest;

/**
 * The engine conformance kit on a three-member etcd cluster; each test gets a new namespace, and
 * reopening connects a new engine to the same namespace.
 */
class EtcdEngineConformanceTest extends EngineConformanceTest {

  private String namespace;

  @Override
  protected Engine createEngine() {
    namespace = EtcdCluster.freshNamespace("conformance");
    return EtcdCluster.get().open(namespace);
  }

  @Override
  protected Engine reopenEngine(Engine closed) {
    return EtcdCluster.get().open(namespace);
  }
}
