package io.tito.testkit;

import static io.tito.testkit.Kit.ALL_END;
import static io.tito.testkit.Kit.EMPTY;

import io.tito.ByteArrays;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Random sets, clears and range clears over a small alphabet of tricky bytes (so keys collide and
 * are prefixes of each other), checked after every step against a {@link ReferenceModel}: gets and
 * random scans (random bounds, direction and limit) inside the writing transaction, in a
 * concurrent reader whose snapshot must not move, and after commit or rollback. Cursors opened
 * before further writes must not be disturbed by them.
 *
 * <p>The seed is random per run and printed on failure with the last operations; rerun one with
 * {@code -Dtito.testkit.seed=<seed>}.
 */
public interface RandomizedModelContract extends EngineFixture {

  /** The bytes keys are made of: both ends, and both sides of the signed boundary. */
  private static byte[] alphabet() {
    return Kit.bytes(0x00, 0x01, 'a', 'b', 0x7F, 0x80, 0xFE, 0xFF);
  }

  private static byte[] randomKey(Random r) {
    byte[] alphabet = alphabet();
    byte[] key = new byte[r.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = alphabet[r.nextInt(alphabet.length)];
    }
    return key;
  }

  private static byte[] randomBound(Random r) {
    return r.nextInt(12) == 0 ? ALL_END : randomKey(r);
  }

  private static byte[][] randomRange(Random r) {
    byte[] a = randomBound(r);
    byte[] b = randomBound(r);
    return ByteArrays.compare(a, b) <= 0 ? new byte[][] {a, b} : new byte[][] {b, a};
  }

  /** Values of 0 to 5 bytes, half of them from the key alphabet (so zero bytes are common). */
  private static byte[] randomValue(Random r) {
    byte[] alphabet = alphabet();
    byte[] v = new byte[r.nextInt(6)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextBoolean() ? alphabet[r.nextInt(alphabet.length)] : (byte) r.nextInt(256);
    }
    return v;
  }

  @Test
  default void randomOperationsMatchTheModel() {
    long seed = Long.getLong("tito.testkit.seed", new Random().nextLong());
    Random r = new Random(seed);
    Deque<String> log = new ArrayDeque<>();
    ReferenceModel committed = new ReferenceModel();
    try {
      for (int round = 0; round < 25; round++) {
        note(log, "round " + round);
        ReferenceModel before = committed;
        EngineTransaction reader = engine().begin(r.nextBoolean());
        Kit.pin(reader);
        ReferenceModel pending = committed.copy();
        try (EngineTransaction tx = engine().begin(false)) {
          for (int op = 0; op < 40; op++) {
            step(r, tx, pending, log);
          }
          if (r.nextInt(5) == 0) {
            note(log, "rollback");
            tx.rollback();
          } else {
            note(log, "commit");
            tx.commit();
            committed = pending;
          }
        }
        for (int i = 0; i < 3; i++) {
          checkScan(r, reader, before, log, "concurrent reader (snapshot before the round)", null);
        }
        reader.close();
        ReferenceModel now = committed;
        Kit.read(engine(), tx -> {
          for (int i = 0; i < 5; i++) {
            checkScan(r, tx, now, log, "after round", null);
          }
          check(log, Kit.scanAll(tx), now.rows(), "full scan after round");
          return null;
        });
      }
    } catch (AssertionError | RuntimeException e) {
      AssertionFailedError failure = new AssertionFailedError("random model check failed with seed=" + seed
          + " (rerun with -Dtito.testkit.seed=" + seed + "); last operations:\n  "
          + String.join("\n  ", log) + "\n" + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  private static void step(Random r, EngineTransaction tx, ReferenceModel model, Deque<String> log) {
    int dice = r.nextInt(100);
    if (dice < 35) {
      byte[] key = randomKey(r);
      byte[] value = randomValue(r);
      note(log, "set " + ByteArrays.printable(key) + " = " + ByteArrays.printable(value));
      tx.set(key, value);
      model.set(key, value);
    } else if (dice < 50) {
      byte[] key = randomKey(r);
      note(log, "clear " + ByteArrays.printable(key));
      tx.clear(key);
      model.clear(key);
    } else if (dice < 58) {
      byte[][] range = randomRange(r);
      note(log, "clearRange " + ByteArrays.printable(range[0]) + " .. " + ByteArrays.printable(range[1]));
      tx.clearRange(range[0], range[1]);
      model.clearRange(range[0], range[1]);
    } else if (dice < 68) {
      byte[] key = randomKey(r);
      note(log, "get " + ByteArrays.printable(key));
      byte[] actual = tx.get(key);
      if (!Arrays.equals(actual, model.get(key))) {
        throw new AssertionFailedError("get " + ByteArrays.printable(key) + ": expected "
            + Kit.show(model.get(key)) + " but was " + Kit.show(actual));
      }
    } else if (dice < 92) {
      checkScan(r, tx, model, log, "in transaction", null);
    } else {
      checkScan(r, tx, model, log, "cursor across writes", () -> {
        for (int i = 0; i < 3; i++) {
          step(r, tx, model, log);
        }
      });
    }
  }

  /**
   * Scans a random range of {@code tx} and compares with {@code model} ({@code null}: the model
   * is not known, skip). With {@code between} set, reads part of the cursor, runs it, then reads
   * the rest: the rows must still be those of the model when the cursor was opened.
   */
  private static void checkScan(Random r, EngineTransaction tx, ReferenceModel model, Deque<String> log,
      String what, Runnable between) {
    byte[][] range = randomRange(r);
    boolean reverse = r.nextBoolean();
    int limit = r.nextInt(3) == 0 ? 0 : r.nextInt(8);
    String desc = what + " scan " + ByteArrays.printable(range[0]) + " .. " + ByteArrays.printable(range[1])
        + (reverse ? " reverse" : " forward") + " limit " + limit;
    note(log, desc);
    List<KeyValue> expected = model == null ? null : model.scan(range[0], range[1], reverse, limit);
    List<KeyValue> actual = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(range[0], range[1], new ScanOptions(reverse, limit))) {
      if (between != null) {
        int before = r.nextInt(3);
        for (int i = 0; i < before && c.hasNext(); i++) {
          actual.add(c.next());
        }
        between.run();
      }
      while (c.hasNext()) {
        actual.add(c.next());
      }
    }
    if (expected != null) {
      check(log, actual, expected, desc);
    }
  }

  private static void check(Deque<String> log, List<KeyValue> actual, List<KeyValue> expected, String desc) {
    if (!Objects.equals(actual, expected)) {
      throw new AssertionFailedError(desc + ":\n  expected " + expected + "\n  but was  " + actual,
          expected, actual);
    }
  }

  private static void note(Deque<String> log, String line) {
    log.addLast(line);
    while (log.size() > 60) {
      log.removeFirst();
    }
  }
}
