package io.tito.etcd;

import io.tito.spi.Engine;
import io.tito.testkit.data.DataAcceptanceTest;

/** The data acceptance kit on the three-member test cluster, a new namespace per test. */
class EtcdDataAcceptanceTest extends DataAcceptanceTest {

  @Override
  protected Engine createEngine() {
    return EtcdCluster.get().open(EtcdCluster.freshNamespace("data"));
  }
}
