package io.tito.etcd;

import io.tito.spi.Engine;
import io.tito.testkit.pubsub.DeliveryHistoryTest;

/**
 * The delivery history checker on the three-member test cluster; the second process of the
 * scenario is a second engine on the same namespace.
 */
class EtcdDeliveryHistoryTest extends DeliveryHistoryTest {

  private String namespace;

  @Override
  protected Engine createEngine() {
    namespace = EtcdCluster.freshNamespace("history");
    return EtcdCluster.get().open(namespace);
  }

  @Override
  protected Engine openSameStore(Engine first) {
    return EtcdCluster.get().open(namespace);
  }
}
