package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tito.ConflictException;
import io.tito.LimitExceededException;
import io.tito.ScanOptions;
import io.tito.spi.ChangeListener;
import io.tito.spi.EngineTransaction;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour of the etcd engine beyond the kits: several engines on one namespace, limits, errors. */
class EtcdEngineTest {

  private final EtcdCluster cluster = EtcdCluster.get();

  @Test
  void aRangeClearInOneEngineConflictsWithAWriteInsideItFromAnotherEngine() {
    String ns = EtcdCluster.freshNamespace("engines");
    try (EtcdEngine a = cluster.open(ns); EtcdEngine b = cluster.open(ns)) {
      commit(a, "r/1", "1");
      try (EngineTransaction writer = b.begin(false)) {
        assertThat(writer.get(b("r/1"))).isEqualTo(b("1"));
        try (EngineTransaction clearer = a.begin(false)) {
          clearer.get(b("r/1"));
          clearer.clearRange(b("r/"), b("r0"));
          clearer.commit();
        }
        writer.set(b("r/5"), b("absent before, inside the cleared range"));
        assertThatThrownBy(writer::commit).isInstanceOf(ConflictException.class);
      }
      try (EngineTransaction reader = b.begin(true)) {
        assertThat(reader.scan(b("r/"), b("r0"), ScanOptions.FORWARD).toList()).isEmpty();
      }
    }
  }

  @Test
  void aWriteOutsideAConcurrentlyClearedRangeCommitsAfterCheckingTheClearRecord() {
    String ns = EtcdCluster.freshNamespace("records");
    try (EtcdEngine a = cluster.open(ns); EtcdEngine b = cluster.open(ns)) {
      commit(a, "r/1", "1");
      try (EngineTransaction writer = b.begin(false)) {
        writer.get(b("r/1"));
        try (EngineTransaction clearer = a.begin(false)) {
          clearer.clearRange(b("r/"), b("r0"));
          clearer.commit();
        }
        writer.set(b("s/1"), b("outside"));
        writer.commit();
      }
      try (EngineTransaction reader = b.begin(true)) {
        assertThat(reader.get(b("s/1"))).isEqualTo(b("outside"));
        assertThat(reader.get(b("r/1"))).isNull();
      }
    }
  }

  @Test
  void aCommitOverTheClustersOperationLimitIsRejectedBeforeSendingAndAppliesNothing() {
    String ns = EtcdCluster.freshNamespace("ops");
    try (EtcdEngine small = EtcdEngine.open(cluster.options(ns).maxTxnOps(16).build())) {
      try (EngineTransaction tx = small.begin(false)) {
        for (int i = 0; i < 20; i++) {
          tx.set(b("k" + i), b("v"));
        }
        assertThatThrownBy(tx::commit).isInstanceOfSatisfying(LimitExceededException.class,
            e -> assertThat(e.getMessage()).contains("maxTxnOps"));
      }
      try (EngineTransaction tx = small.begin(true)) {
        assertThat(tx.scan(b(""), b("z"), ScanOptions.FORWARD).toList()).isEmpty();
      }
    }
  }

  @Test
  void aSnapshotTheClusterCompactedFailsAsTooOld() {
    String ns = EtcdCluster.freshNamespace("compact");
    try (EtcdEngine engine = cluster.open(ns)) {
      commit(engine, "a", "1");
      try (EngineTransaction old = engine.begin(true)) {
        assertThat(old.get(b("a"))).isEqualTo(b("1"));
        commit(engine, "a", "2");
        commit(engine, "b", "2");
        compactToCurrentRevision(engine);
        assertThatThrownBy(() -> old.get(b("b"))).isInstanceOfSatisfying(ConflictException.class,
            e -> assertThat(e.getMessage()).contains("too old"));
      }
    }
  }

  @Test
  void listenersInOneEngineHearCommitsOfAnotherWithTheirPayloads() throws Exception {
    String ns = EtcdCluster.freshNamespace("notify");
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    BlockingQueue<Boolean> listening = new LinkedBlockingQueue<>();
    try (EtcdEngine a = cluster.open(ns); EtcdEngine b = cluster.open(ns)) {
      AutoCloseable subscription = a.listen("topic_1", new ChangeListener() {
        @Override
        public void changed(String payload) {
          heard.add(payload == null ? "<null>" : payload);
        }

        @Override
        public void listening(boolean healthy) {
          listening.add(healthy);
        }
      });
      assertThat(listening.poll(30, TimeUnit.SECONDS)).isTrue();
      try (EngineTransaction tx = b.begin(false)) {
        tx.notifyOnCommit("topic_1", "3:orders");
        tx.set(b("x"), b("1"));
        tx.commit();
      }
      try (EngineTransaction tx = b.begin(false)) {
        tx.notifyOnCommit("topic_1", "a");
        tx.notifyOnCommit("topic_1", "b");
        tx.set(b("x"), b("2"));
        tx.commit();
      }
      try (EngineTransaction tx = b.begin(false)) {
        tx.notifyOnCommit("topic_1", "rolled back");
        tx.set(b("x"), b("3"));
        tx.rollback();
      }
      assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("3:orders");
      assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("<null>");
      subscription.close();
      assertThat(heard).isEmpty();
    }
  }

  @Test
  void anUnreachableEndpointInTheListIsSkipped() {
    String ns = EtcdCluster.freshNamespace("failover");
    List<String> endpoints = new java.util.ArrayList<>();
    endpoints.add("http://127.0.0.1:1");
    endpoints.addAll(cluster.endpoints());
    try (EtcdEngine engine = EtcdEngine.open(cluster.options(ns).build().withEndpoints(endpoints))) {
      for (int i = 0; i < 6; i++) {
        commit(engine, "k" + i, "v");
      }
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.scan(b(""), b("z"), ScanOptions.FORWARD).toList()).hasSize(6);
      }
    }
  }

  private void compactToCurrentRevision(EtcdEngine engine) {
    long revision = engine.client().currentRevision(engine.keys().probe());
    URI uri = URI.create(cluster.endpoints().get(0));
    ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
    try {
      KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .compact(CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
    } finally {
      channel.shutdownNow();
    }
  }

  private static void commit(EtcdEngine engine, String key, String value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b(key), b(value));
      tx.commit();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
