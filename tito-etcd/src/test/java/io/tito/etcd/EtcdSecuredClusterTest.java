package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import io.tito.spi.ChangeListener;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a three-member cluster that serves clients over TLS only, requires client
 * certificates (mutual TLS) and has authentication on: user {@code tito} has a role that may read
 * and write keys under {@code test/} only. Certificates are made by {@code openssl}; users, the
 * role and {@code auth enable} by {@code etcdctl}.
 */
class EtcdSecuredClusterTest {

  private static final String USER = "tito";
  private static final String PASSWORD = "tito-secret";
  private static final String ROOT_PASSWORD = "root-secret";

  @TempDir
  static Path certificates;
  private static TestCertificates tls;
  private static EtcdCluster cluster;

  @BeforeAll
  static void startSecuredClusterWithAuthentication() throws Exception {
    tls = TestCertificates.create(certificates);
    cluster = EtcdCluster.startSecured(tls);
    etcdctlUntilItAnswers("user", "add", "root:" + ROOT_PASSWORD, "--interactive=false");
    etcdctl("user", "grant-role", "root", "root");
    etcdctl("role", "add", "tito-rw");
    etcdctl("role", "grant-permission", "tito-rw", "--prefix=true", "readwrite", "test/");
    etcdctl("user", "add", USER + ":" + PASSWORD, "--interactive=false");
    etcdctl("user", "grant-role", USER, "tito-rw");
    etcdctl("auth", "enable");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void writesReadsAndNotificationsWorkOverMutualTlsWithAUserAndPassword() throws Exception {
    String ns = EtcdCluster.freshNamespace("secured");
    try (EtcdEngine writer = EtcdEngine.open(secured(ns).build());
        EtcdEngine listener = EtcdEngine.open(secured(ns).build())) {
      BlockingQueue<String> heard = new LinkedBlockingQueue<>();
      try (AutoCloseable subscription = listener.listen("orders", new ChangeListener() {
        @Override
        public void changed(String payload) {
          heard.add(String.valueOf(payload));
        }
      })) {
        awaitListening(writer, heard);
        try (EngineTransaction tx = writer.begin(false)) {
          tx.set(b("k"), b("v"));
          tx.notifyOnCommit("orders", "after-k");
          tx.commit();
        }
        assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("after-k");
      }
      try (EngineTransaction tx = listener.begin(true)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("v"));
      }
    }
  }

  @Test
  void urlQueryParametersCarryTheTlsFilesAndTheCredentials() {
    String ns = EtcdCluster.freshNamespace("secured-url");
    String members = String.join(",", cluster.endpoints().stream().map(e -> e.substring("https://".length())).toList());
    String url = "etcds://" + members + "/" + ns + "?trustedCertificates=" + tls.ca() + "&clientCertificate="
        + tls.client() + "&clientKey=" + tls.clientKey() + "&user=" + USER + "&password=" + PASSWORD
        + "&maxTxnOps=" + EtcdCluster.MAX_TXN_OPS;
    try (Engine engine = new EtcdEngineProvider().openUrl(url)) {
      EtcdEngineOptions o = ((EtcdEngine) engine).options();
      assertThat(o.user()).isEqualTo(USER);
      assertThat(o.trustedCertificates()).isEqualTo(tls.ca());
      assertThat(o.endpoints()).allMatch(e -> e.startsWith("https://"));
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("k"), b("through the URL"));
        tx.commit();
      }
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("through the URL"));
      }
    }
  }

  @Test
  void aWrongPasswordFailsAtOpenWithAClearError() {
    String ns = EtcdCluster.freshNamespace("secured-wrong");
    assertThatThrownBy(() -> EtcdEngine.open(secured(ns).credentials(USER, "not-the-password").build()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getMessage()).contains("etcd authentication failed");
          assertThat(e.context()).containsEntry("user", USER);
          assertThat(String.valueOf(e.context().get("cause"))).contains("authentication failed");
          assertThat(e.isRetriable()).isFalse();
        });
  }

  @Test
  void noCredentialsOnAClusterWithAuthenticationOnFailsWithAClearError() {
    String ns = EtcdCluster.freshNamespace("secured-anonymous");
    assertThatThrownBy(() -> EtcdEngine.open(tlsOnly(ns).build()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getMessage()).contains("etcd denied access");
          assertThat(e.isRetriable()).isFalse();
        });
  }

  @Test
  void aNamespaceOutsideTheUsersRoleIsDenied() {
    assertThatThrownBy(() -> EtcdEngine.open(secured("elsewhere/").build()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getMessage()).contains("etcd denied access");
          assertThat(String.valueOf(e.context().get("cause"))).contains("permission denied");
        });
  }

  @Test
  void aServerCertificateNotSignedByTheTrustedAuthorityIsRefused() {
    String ns = EtcdCluster.freshNamespace("secured-untrusted");
    EtcdEngineOptions options = EtcdEngineOptions.builder(cluster.endpoints()).namespace(ns)
        .requestTimeout(Duration.ofSeconds(3)).trustedCertificates(tls.otherCa())
        .clientCertificate(tls.client(), tls.clientKey()).credentials(USER, PASSWORD).build();
    assertThatThrownBy(() -> EtcdEngine.open(options)).isInstanceOf(StorageException.class);
  }

  private static EtcdEngineOptions.Builder tlsOnly(String ns) {
    return EtcdEngineOptions.builder(cluster.endpoints()).namespace(ns).maxTxnOps(EtcdCluster.MAX_TXN_OPS)
        .trustedCertificates(tls.ca()).clientCertificate(tls.client(), tls.clientKey());
  }

  private static EtcdEngineOptions.Builder secured(String ns) {
    return tlsOnly(ns).credentials(USER, PASSWORD);
  }

  /** Commits notifications until the listener hears one: its watch is then open. */
  private static void awaitListening(EtcdEngine writer, BlockingQueue<String> heard) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (EngineTransaction tx = writer.begin(false)) {
        tx.set(b("warm-up"), b("1"));
        tx.notifyOnCommit("orders", "warm-up");
        tx.commit();
      }
      if (heard.poll(200, TimeUnit.MILLISECONDS) != null) {
        heard.clear();
        return;
      }
      assertThat(System.nanoTime()).as("the watch opened within 30 s").isLessThan(deadline);
    }
  }

  private static void etcdctlUntilItAnswers(String... args) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        etcdctl(args);
        return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
  }

  /** Runs etcdctl against the cluster with the client certificate (before auth is enabled). */
  private static void etcdctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + String.join(",", cluster.endpoints()),
        "--cacert=" + tls.ca(), "--cert=" + tls.client(), "--key=" + tls.clientKey(), "--command-timeout=5s"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(certificates, "etcdctl-", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
