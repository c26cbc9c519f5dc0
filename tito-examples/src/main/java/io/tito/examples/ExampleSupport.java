package io.tito.examples;

import io.tito.Tito;
import io.tito.tuple.Subspace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Plumbing shared by the pub/sub examples: opening RocksDB for a main, bounded waits. */
final class ExampleSupport {

  /** How long examples wait for something that normally takes milliseconds. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private ExampleSupport() {}

  /** The body of an example: {@code run(Tito, PrintStream)}. */
  @FunctionalInterface
  interface Example {
    void run(Tito tito, PrintStream out) throws Exception;
  }

  /**
   * Runs {@code example} on an embedded RocksDB store in {@code args[0]} or in a fresh temporary
   * directory (removed afterwards). In a given directory each run gets its own root subspace, so
   * runs do not see each other's topics and groups.
   */
  static void mainOnRocksDb(String name, String[] args, Example example) throws Exception {
    mainOnRocksDb(name, args, b -> b, example);
  }

  /** Like {@link #mainOnRocksDb(String, String[], Example)}, with modules added by {@code store}. */
  static void mainOnRocksDb(String name, String[] args, UnaryOperator<Tito.Builder> store,
      Example example) throws Exception {
    boolean temporary = args.length == 0 || args[0].isBlank();
    Path dir = temporary ? Files.createTempDirectory("tito-" + name) : Path.of(args[0]);
    System.out.println("Opening an embedded RocksDB store in " + dir);
    try (Tito tito = store.apply(Tito.builder().url("rocksdb:" + dir)
        .root(Subspace.of(name, UUID.randomUUID().toString()))).build()) {
      example.run(tito, System.out);
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  /**
   * Waits until {@code condition} holds, checking every 10 ms.
   *
   * @throws IllegalStateException naming {@code what} if it does not hold within {@link #PATIENCE}
   */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Prints a section heading. */
  static void heading(PrintStream out, String text) {
    out.println();
    out.println("== " + text + " ==");
  }
}
