package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EtcdEngineProviderTest {

  private static EngineProvider provider() {
    return ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("etcd"))
        .findFirst().orElseThrow();
  }

  @Test
  void foundByNameThroughServiceLoaderAndOpensWithSettings() {
    String namespace = EtcdCluster.freshNamespace("provider");
    Map<String, String> settings = Map.of(
        "endpoints", String.join(",", EtcdCluster.get().endpoints()),
        "namespace", namespace,
        "requestTimeoutMillis", "7000",
        "maxTxnOps", Integer.toString(EtcdCluster.MAX_TXN_OPS),
        "maxTransactionAgeMillis", "60000");
    try (Engine engine = provider().open(settings)) {
      assertThat(engine).isInstanceOf(EtcdEngine.class);
      assertThat(engine.capabilities()).contains(Capability.DURABLE, Capability.MULTI_PROCESS,
          Capability.CHANGE_NOTIFICATIONS);
      EtcdEngineOptions o = ((EtcdEngine) engine).options();
      assertThat(o.namespace()).isEqualTo(namespace);
      assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
      assertThat(o.maxTxnOps()).isEqualTo(EtcdCluster.MAX_TXN_OPS);
      assertThat(o.maxTransactionAge()).isEqualTo(Duration.ofMinutes(1));
      assertThat(o.endpoints()).hasSize(3);
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("k"), b("v"));
        tx.commit();
      }
    }
    try (Engine engine = provider().open(Map.of("endpoints", EtcdCluster.get().endpoints().get(2),
        "namespace", namespace))) {
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("v"));
      }
    }
  }

  @Test
  void unknownSettingIsRejectedListingTheKnownOnes() {
    assertThatThrownBy(() -> provider().open(Map.of("endpoints", "http://127.0.0.1:1", "ttl", "3")))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.staticMessage()).isEqualTo("unknown engine settings");
          assertThat(e.getMessage()).contains("ttl").contains("endpoints").contains("namespace");
        });
  }

  @Test
  void missingOrMalformedSettingsAreRejected() {
    assertThatThrownBy(() -> provider().open(Map.of()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("endpoints");
    assertThatThrownBy(() -> provider().open(Map.of("endpoints", "http://127.0.0.1:1", "maxTxnOps", "many")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("maxTxnOps");
    assertThatThrownBy(() -> provider().open(Map.of("endpoints", "ftp://127.0.0.1:1")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("endpoint");
    assertThatThrownBy(() -> provider().open(Map.of("endpoints", "http://127.0.0.1:1", "namespace", "")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("namespace");
    assertThatThrownBy(() -> provider().open(Map.of("endpoints", "http://127.0.0.1:1", "user", "u")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("password");
    assertThatThrownBy(() -> provider().open(Map.of("endpoints", "http://127.0.0.1:1",
        "clientCertificate", "/tmp/c.pem")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("clientKey");
  }

  @Test
  void serializableIsASettingAndOffByDefault() {
    assertThat(EtcdEngineProvider.toOptions(Map.of("endpoints", "http://127.0.0.1:1")).serializable()).isFalse();
    assertThat(EtcdEngineProvider.toOptions(
        EtcdEngineProvider.urlSettings("etcd://127.0.0.1:1/ns/?serializable=true")).serializable()).isTrue();
    assertThatThrownBy(() -> EtcdEngineProvider.toOptions(Map.of("endpoints", "http://127.0.0.1:1",
        "serializable", "yes")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("serializable");
  }

  @Test
  void aUrlNamesTheMembersTheNamespaceAndTheOtherSettings() {
    assertThat(EtcdEngineProvider.urlSettings("etcd://10.0.0.1:2379,10.0.0.2:2379/orders/?maxTxnOps=512"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "endpoints", "http://10.0.0.1:2379,http://10.0.0.2:2379",
            "namespace", "orders/",
            "maxTxnOps", "512"));
    assertThat(EtcdEngineProvider.urlSettings("etcds://h:2379"))
        .containsExactlyEntriesOf(Map.of("endpoints", "https://h:2379"));
    assertThat(provider().opens("etcd://h:2379")).isTrue();
    assertThat(provider().opens("etcd:h")).isFalse();
    assertThatThrownBy(() -> EtcdEngineProvider.urlSettings("etcd:///ns"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("members");
    assertThatThrownBy(() -> EtcdEngineProvider.urlSettings("etcd://a:1,,b:2"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("members");
    assertThatThrownBy(() -> EtcdEngineProvider.urlSettings("etcd://a:1?endpoints=http://b:2"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("endpoints");
  }

  @Test
  void theFrontDoorOpensAClusterFromOneUrl() {
    String namespace = EtcdCluster.freshNamespace("url");
    String members = EtcdCluster.get().endpoints().stream()
        .map(e -> e.substring("http://".length())).collect(java.util.stream.Collectors.joining(","));
    try (Tito tito = Tito.open("etcd://" + members + "/" + namespace + "?maxTxnOps="
        + EtcdCluster.MAX_TXN_OPS)) {
      assertThat(tito.engine()).isInstanceOf(EtcdEngine.class);
      assertThat(((EtcdEngine) tito.engine()).options().namespace()).isEqualTo(namespace);
      assertThat(((EtcdEngine) tito.engine()).options().endpoints()).hasSize(3);
      tito.inTransaction(tx -> tx.set(b("k"), b("v")));
    }
    try (Engine engine = provider().open(Map.of("endpoints", EtcdCluster.get().endpoints().get(0),
        "namespace", namespace))) {
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("v"));
      }
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
