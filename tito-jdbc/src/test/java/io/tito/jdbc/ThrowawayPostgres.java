package io.tito.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL instance for fault tests: initdb into a temporary directory, its own port
 * and socket directory, stopped and started by the test, deleted on close. PostgreSQL refuses to
 * run as root, so as root the server runs as the {@code postgres} OS user.
 */
final class ThrowawayPostgres implements AutoCloseable {

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;

  private ThrowawayPostgres(Path bin) throws IOException {
    this.bin = bin;
    this.dir = Files.createTempDirectory("tito-pg-");
    this.data = dir.resolve("data");
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
  }

  /** The directory holding {@code initdb} and {@code pg_ctl}, if PostgreSQL's server is installed. */
  static Optional<Path> findBin() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(p -> versionOf(p.getParent().getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Creates and starts an instance with the installed server binaries; fails (never skips) when
   * they are missing: {@code bin/services} installs them.
   */
  static ThrowawayPostgres start() throws Exception {
    Path bin = findBin().orElseThrow(() -> new IllegalStateException(
        "PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin) are missing;"
            + " run bin/services, which installs them"));
    return start(bin);
  }

  /** Creates and starts an instance. */
  static ThrowawayPostgres start(Path bin) throws Exception {
    ThrowawayPostgres pg = new ThrowawayPostgres(bin);
    try {
      if (isRoot()) {
        pg.run(List.of("chown", "-R", "postgres:", pg.dir.toString()), false);
      }
      pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-A", "trust",
          "-U", "postgres", "-E", "UTF8", "--no-sync"), true);
      pg.startServer();
      return pg;
    } catch (Exception e) {
      pg.close();
      throw e;
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Starts the server again (after {@link #stopImmediately()}), waiting until it accepts connections. */
  void startServer() throws Exception {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"), true);
  }

  /** Kills the server the hard way: no checkpoint, every connection dropped at once. */
  void stopImmediately() throws Exception {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), true);
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        stopImmediately();
      }
    } catch (Exception ignored) {
      // best effort; the directory goes anyway
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  private void run(List<String> command, boolean asServerUser) throws Exception {
    List<String> full = new ArrayList<>();
    if (asServerUser && isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("tito-pg-cmd", ".log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + full);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("failed (" + p.exitValue() + "): " + full + "\n" + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
