package io.tito.bench.peers;

import io.tito.bench.peers.WriteSystems.JdbcWrite;
import io.tito.bench.peers.WriteSystems.RawRocksWrite;
import io.tito.bench.peers.WriteSystems.TitoWrite;
import io.tito.bench.peers.WriteSystems.WriteSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1, embedded write: one transaction = one record with two secondary indexes + one outbox
 * event, single-threaded, each system in a fresh directory. Run once with durable commits (Tito
 * {@code sync}, SQLite WAL {@code synchronous=FULL}, H2 {@code WRITE_DELAY=0}, raw RocksDB
 * {@code sync=true}) and once relaxed (Tito {@code none}, SQLite WAL {@code synchronous=NORMAL},
 * H2 default {@code WRITE_DELAY} of 500 ms, raw RocksDB {@code sync=false}).
 *
 * <p>Every system first writes {@code warmup} transactions, then the timed {@code transactions};
 * afterwards the records (counted through both indexes) and events of each must equal the total,
 * or the run fails with {@link IllegalStateException}.
 */
public final class EmbeddedWrite {

  /** The systems, in table order; Tito first, the raw floor last. */
  static final List<String> SYSTEMS = List.of("tito", "sqlite", "h2", "rocksdb-raw");

  /** One system's figure in one durability mode. */
  public record Outcome(String mode, String system, long transactions, double perSecond,
      long records, long events) {}

  private EmbeddedWrite() {}

  /** Runs both modes; {@code dir} is a scratch directory that receives one subdirectory each. */
  public static List<Outcome> run(Path dir, int durableTransactions, int relaxedTransactions,
      int warmup) throws Exception {
    List<Outcome> out = new ArrayList<>();
    out.addAll(runMode(dir, true, durableTransactions, warmup));
    out.addAll(runMode(dir, false, relaxedTransactions, warmup));
    return out;
  }

  static List<Outcome> runMode(Path dir, boolean durable, int transactions, int warmup)
      throws Exception {
    String mode = durable ? "durable" : "relaxed";
    List<Outcome> out = new ArrayList<>();
    for (String system : SYSTEMS) {
      Path sub = Files.createDirectories(dir.resolve(mode + "-" + system));
      try (WriteSystem s = open(system, sub, durable)) {
        long i = 0;
        for (; i < warmup; i++) {
          s.write(i);
        }
        long start = System.nanoTime();
        for (long end = i + transactions; i < end; i++) {
          s.write(i);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Outcome o = new Outcome(mode, system, transactions, transactions / seconds, s.records(),
            s.events());
        long expected = (long) warmup + transactions;
        if (o.records() != expected || o.events() != expected) {
          throw new IllegalStateException(String.format(
              "%s %s did different work: expected %d records and events, found %d and %d",
              mode, system, expected, o.records(), o.events()));
        }
        out.add(o);
      }
    }
    return out;
  }

  static WriteSystem open(String system, Path dir, boolean durable) throws Exception {
    return switch (system) {
      case "tito" -> new TitoWrite(dir, durable ? "sync" : "none");
      case "sqlite" -> JdbcWrite.sqlite(dir, durable);
      case "h2" -> JdbcWrite.h2(dir, durable);
      case "rocksdb-raw" -> new RawRocksWrite(dir, durable);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  /** Labels for the table, per system and mode. */
  static String label(String system, String mode) {
    boolean durable = mode.equals("durable");
    return switch (system) {
      case "tito" -> "Tito on RocksDB, durability " + (durable ? "sync" : "none");
      case "sqlite" -> "SQLite WAL, synchronous=" + (durable ? "FULL" : "NORMAL");
      case "h2" -> "H2 file, WRITE_DELAY=" + (durable ? "0" : "500 ms (default)");
      case "rocksdb-raw" -> "raw RocksDB WriteBatch, sync=" + durable + " (floor)";
      default -> system;
    };
  }

  /** The outcomes grouped by mode, in run order. */
  static Map<String, List<Outcome>> byMode(List<Outcome> outcomes) {
    Map<String, List<Outcome>> m = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      m.computeIfAbsent(o.mode(), k -> new ArrayList<>()).add(o);
    }
    return m;
  }
}
