package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.StorageException;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cluster of its own with a 4 MiB space quota, filled by overwriting one key: commits end with
 * a clear storage-full error, nothing acknowledged is lost and nothing refused is applied, and the
 * documented recovery (compact, defragment, disarm the alarm) makes the store writable again.
 */
class EtcdQuotaTest {

  @Test
  void fillingTheQuotaGivesStorageFullAndTheDocumentedRecoveryWorks() throws Exception {
    try (EtcdCluster small = EtcdCluster.startPrivate("--quota-backend-bytes", Integer.toString(4 << 20));
        EtcdEngine engine = small.open(EtcdCluster.freshNamespace("quota"))) {
      commit(engine, b("kept"), b("v"));
      byte[] blob = new byte[200_000];
      int acknowledged = -1;
      StorageException full = null;
      for (int i = 0; i < 500 && full == null; i++) {
        Arrays.fill(blob, (byte) i);
        blob[0] = (byte) i;
        try {
          commit(engine, b("blob"), blob);
          acknowledged = i;
        } catch (StorageException e) {
          full = e;
        }
      }
      assertThat(full).as("a commit refused for the quota").isNotNull();
      assertThat(full.getMessage()).startsWith("storage full");
      assertThat(full.isRetriable()).isFalse();
      assertThat(acknowledged).as("commits acknowledged before the quota").isGreaterThan(0);
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("kept"))).isEqualTo(b("v"));
        assertThat(tx.get(b("blob"))[0]).as("the blob of the last acknowledged commit").isEqualTo((byte) acknowledged);
      }

      String endpoints = String.join(",", small.endpoints());
      long revision = engine.client().currentRevision(engine.keys().probe());
      etcdctl(endpoints, "compact", Long.toString(revision));
      etcdctl(endpoints, "defrag");
      etcdctl(endpoints, "alarm", "disarm");
      commit(engine, b("after"), b("recovered"));
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("after"))).isEqualTo(b("recovered"));
        assertThat(tx.get(b("kept"))).isEqualTo(b("v"));
      }
    }
  }

  private static void etcdctl(String endpoints, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("etcdctl %s finished", command).isTrue();
    assertThat(p.exitValue()).as("etcdctl %s: %s", command, output).isZero();
  }

  private static void commit(EtcdEngine engine, byte[] key, byte[] value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(key, value);
      tx.commit();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
