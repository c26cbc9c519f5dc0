package io.tito.rocksdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Runs a tiny main of this test class path in a second JVM, to test what spans processes. */
final class ChildProcess {

  private ChildProcess() {}

  static Process start(Class<?> main, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Path stderr = Files.createTempFile("tito-child-", ".err");
    LoggerFactory.getLogger(ChildProcess.class).info("child {} writes its stderr to {}", main.getSimpleName(), stderr);
    return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
  }

  /** Opens the store, commits N keys, prints "COMMITTED N", then waits to be killed. */
  static final class Writer {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      Durability durability = Durability.valueOf(args[1]);
      int n = Integer.parseInt(args[2]);
      RocksDbEngine engine = RocksDbEngine.open(RocksDbOptions.builder(dir).durability(durability)
          .syncInterval(Duration.ofHours(1)).build());
      for (int i = 0; i < n; i++) {
        TestStores.put(engine, "c" + i, "v" + i);
      }
      System.out.println("COMMITTED " + n);
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  /**
   * Opens the store (GROUP), fills a log with N old values, flushes twice so that the live log is
   * a reused file still holding those bytes past its new end, commits N new values into it,
   * prints "COMMITTED N", then waits to be killed.
   */
  static final class ReusedLogWriter {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      int n = Integer.parseInt(args[1]);
      RocksDbEngine engine = RocksDbEngine.open(RocksDbOptions.builder(dir)
          .durability(Durability.GROUP).warmCache(false).build());
      String padding = "o".repeat(200);
      for (int i = 0; i < n; i++) {
        TestStores.put(engine, "c" + i, "old-" + i + padding);
      }
      engine.compact();
      TestStores.put(engine, "between", "flushes");
      engine.compact();
      for (int i = 0; i < n; i++) {
        TestStores.put(engine, "c" + i, "new-" + i);
      }
      System.out.println("COMMITTED " + n);
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  /** Opens the store, prints "OPEN", holds it until stdin closes or says anything, then closes. */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      RocksDbEngine engine = RocksDbEngine.open(RocksDbOptions.of(Path.of(args[0])));
      System.out.println("OPEN");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      engine.close();
      System.out.println("CLOSED");
      System.out.flush();
    }
  }
}
