package io.tito.etcd;

import io.tito.spi.Engine;
import io.tito.testkit.events.EventStoreAcceptanceTest;

/**
 * The event-store acceptance kit on the three-member test cluster, a new namespace per test. etcd
 * declares no COMMIT_ORDERED_KEYS: the store runs on its fallback global sequence key.
 */
class EtcdEventStoreAcceptanceTest extends EventStoreAcceptanceTest {

  @Override
  protected Engine createEngine() {
    return EtcdCluster.get().open(EtcdCluster.freshNamespace("events"));
  }
}
