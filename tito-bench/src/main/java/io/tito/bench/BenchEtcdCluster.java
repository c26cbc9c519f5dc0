package io.tito.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A three-member etcd cluster on free loopback ports with its data in a fresh temporary directory
 * (the {@code etcd} binary of {@code bin/etcd-install}), for benchmarks; {@link #close()} kills
 * the members and deletes the directory.
 */
final class BenchEtcdCluster implements AutoCloseable {

  /** The members' {@code --max-txn-ops}: model writes and outbox batches need more than 128. */
  static final int MAX_TXN_OPS = 4096;

  private final Path dir;
  private final List<Process> members = new ArrayList<>();
  private final List<String> endpoints = new ArrayList<>();

  BenchEtcdCluster() throws IOException {
    dir = BenchStores.tempDir();
    int[] ports = new int[6];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < ports.length; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      initial.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(ports[2 * i + 1]);
    }
    String token = "tito-bench-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      String client = "http://127.0.0.1:" + ports[2 * i];
      String peer = "http://127.0.0.1:" + ports[2 * i + 1];
      endpoints.add(client);
      ProcessBuilder pb = new ProcessBuilder("etcd", "--name", "m" + i,
          "--data-dir", dir.resolve("m" + i).toString(),
          "--listen-client-urls", client, "--advertise-client-urls", client,
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
          "--initial-cluster", initial.toString(), "--initial-cluster-token", token,
          "--initial-cluster-state", "new", "--max-txn-ops", Integer.toString(MAX_TXN_OPS),
          "--quota-backend-bytes", Long.toString(4L << 30),
          "--logger", "zap", "--log-level", "error");
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("m" + i + ".log").toFile()));
      members.add(pb.start());
    }
  }

  List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  @Override
  public void close() throws IOException {
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
    BenchStores.delete(dir);
  }
}
