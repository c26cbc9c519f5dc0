package io.tito.etcd;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A three-member etcd cluster for the tests, on free loopback ports, with its data in a new
 * temporary directory: started once per test JVM on first use, killed and deleted when the JVM
 * exits, so nothing is left between runs. The {@code etcd} binary must be installed ({@code
 * bin/etcd-install}); a missing binary fails the tests, it does not skip them.
 */
final class EtcdCluster implements AutoCloseable {

  /** The cluster's {@code --max-txn-ops}: above etcd's default 128 so that data-layer commits fit. */
  static final int MAX_TXN_OPS = 2048;
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static EtcdCluster shared;

  private final Path dir;
  private final List<Process> members = new ArrayList<>();
  private final List<ProcessBuilder> commands = new ArrayList<>();
  private final List<String> endpoints = new ArrayList<>();

  private EtcdCluster(List<String> extraFlags, TestCertificates tls) throws IOException {
    dir = Files.createTempDirectory("tito-etcd-");
    String scheme = tls == null ? "http" : "https";
    int[] ports = freePorts(6);
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      initial.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(ports[2 * i + 1]);
    }
    String token = "tito-test-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      String client = scheme + "://127.0.0.1:" + ports[2 * i];
      String peer = "http://127.0.0.1:" + ports[2 * i + 1];
      endpoints.add(client);
      ProcessBuilder pb = new ProcessBuilder(binary(), "--name", "m" + i,
          "--data-dir", dir.resolve("m" + i).toString(),
          "--listen-client-urls", client, "--advertise-client-urls", client,
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
          "--initial-cluster", initial.toString(), "--initial-cluster-token", token,
          "--initial-cluster-state", "new", "--max-txn-ops", Integer.toString(MAX_TXN_OPS),
          "--logger", "zap", "--log-level", "warn");
      if (tls != null) {
        pb.command().addAll(List.of("--cert-file", tls.server().toString(), "--key-file", tls.serverKey().toString(),
            "--client-cert-auth", "--trusted-ca-file", tls.ca().toString()));
      }
      pb.command().addAll(extraFlags);
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("m" + i + ".log").toFile()));
      commands.add(pb);
      members.add(pb.start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::destroy, "tito-etcd-cluster-stop"));
  }

  private static String binary() {
    for (String candidate : new String[] {"/usr/bin/etcd", "/usr/local/bin/etcd"}) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("etcd is not installed: run bin/etcd-install (Debian's etcd-server)");
  }

  /** The shared cluster, started on first use. */
  static synchronized EtcdCluster get() {
    if (shared == null) {
      try {
        shared = new EtcdCluster(List.of(), null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /**
   * A cluster of its own for a test that breaks it (kills members, fills its quota), started with
   * {@code extraFlags}; the caller closes it.
   */
  static EtcdCluster startPrivate(String... extraFlags) {
    try {
      return new EtcdCluster(List.of(extraFlags), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A cluster of its own whose members serve clients over TLS only, with the server certificate
   * of {@code tls}, and require client certificates signed by its CA (mutual TLS); the caller
   * closes it.
   */
  static EtcdCluster startSecured(TestCertificates tls) {
    try {
      return new EtcdCluster(List.of(), tls);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory of the members' data and logs. */
  Path dir() {
    return dir;
  }

  /** SIGKILLs member {@code i} and waits until it is gone. */
  synchronized void kill(int i) throws InterruptedException {
    Process p = members.get(i);
    p.destroyForcibly();
    p.waitFor();
  }

  /** Freezes member {@code i} (SIGSTOP): it keeps its sockets but answers nothing until {@link #resume}. */
  synchronized void pause(int i) throws IOException, InterruptedException {
    signal(i, "-STOP");
  }

  /** Lets a member frozen by {@link #pause} run again (SIGCONT). */
  synchronized void resume(int i) throws IOException, InterruptedException {
    signal(i, "-CONT");
  }

  private void signal(int i, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(members.get(i).pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill " + signal + " of etcd member " + i + " failed");
    }
  }

  /** Starts member {@code i} again on its data directory (after {@link #kill}). */
  synchronized void restart(int i) throws IOException {
    members.set(i, commands.get(i).start());
  }

  /**
   * The index of the current leader, asked of each live member in turn (their {@code Status}),
   * or -1 if no live member names a leader that is one of the members.
   */
  int leader() {
    for (int i = 0; i < endpoints.size(); i++) {
      if (!members.get(i).isAlive()) {
        continue;
      }
      URI uri = URI.create(endpoints.get(i));
      ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
          .forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
      try {
        StatusResponse status = MaintenanceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
        if (status.getLeader() != 0 && status.getLeader() == status.getHeader().getMemberId()) {
          return i;
        }
      } catch (StatusRuntimeException e) {
        // not answering (yet): ask the next member
      } finally {
        channel.shutdownNow();
      }
    }
    return -1;
  }

  /** How long the fault tests wait for a leader to be elected after they broke the cluster. */
  static final Duration LEADER_WAIT = Duration.ofSeconds(60);

  /**
   * The index of the leader, polled every 100 ms until a live member names one; fails the test
   * if none is elected {@code within}.
   */
  int awaitLeader(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      int leader = leader();
      if (leader >= 0) {
        return leader;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no etcd leader elected within " + within);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** The {@code Status} of member {@code i} (its database size, leader, raft indexes). */
  StatusResponse status(int i) {
    URI uri = URI.create(endpoints.get(i));
    ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
    try {
      return MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * A gauge of member {@code i}'s Prometheus metrics ({@code /metrics} on its client URL), e.g.
   * {@code etcd_server_proposals_pending}.
   */
  double metric(int i, String name) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(endpoints.get(i) + "/metrics").toURL()
        .openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    try (java.io.InputStream in = c.getInputStream()) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
      }
    } finally {
      c.disconnect();
    }
    throw new IllegalStateException("member " + i + " reports no metric " + name);
  }

  /** Kills the members and deletes the data directory. */
  @Override
  public void close() {
    destroy();
  }

  List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  /** A namespace no other engine of this run uses. */
  static String freshNamespace(String what) {
    return "test/" + what + "/" + NAMESPACES.incrementAndGet() + "-" + UUID.randomUUID() + "/";
  }

  /** Options for a fresh namespace on this cluster. */
  EtcdEngineOptions.Builder options(String namespace) {
    return EtcdEngineOptions.builder(endpoints).namespace(namespace).maxTxnOps(MAX_TXN_OPS)
        .requestTimeout(Duration.ofSeconds(10));
  }

  /**
   * Opens an engine on {@code namespace}, waiting (up to a minute) for the cluster to elect a
   * leader and answer after it started.
   */
  EtcdEngine open(String namespace) {
    return open(options(namespace));
  }

  /** {@link #open(String)} with options of the caller's (start from {@link #options(String)}). */
  EtcdEngine open(EtcdEngineOptions.Builder options) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      for (Process p : members) {
        if (!p.isAlive()) {
          throw new IllegalStateException("an etcd member exited; see the logs in " + dir);
        }
      }
      try {
        return EtcdEngine.open(options.build());
      } catch (io.tito.StorageException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the etcd cluster did not answer within 60 s; logs in " + dir, e);
        }
      }
    }
  }

  private synchronized void destroy() {
    for (Process p : members) {
      p.destroyForcibly();
    }
    for (Process p : members) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory is under the system temporary directory
    }
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
    return ports;
  }
}
