package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shortest path through the engine: one write, then a read and a scan. */
class EtcdEngineSmokeTest {

  @Test
  void writesAndReadsBack() {
    try (EtcdEngine engine = EtcdCluster.get().open(EtcdCluster.freshNamespace("smoke"))) {
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("a"), b("1"));
        tx.set(b("b"), b("2"));
        tx.commit();
      }
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("a"))).isEqualTo(b("1"));
        assertThat(tx.scan(b(""), b("z"), ScanOptions.REVERSE).toList()).hasSize(2);
      }
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
