package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Transactions from several threads at once: money is conserved by concurrent transfers and every
 * audit sees a consistent snapshot, concurrent increments are not lost, commits are seen whole or
 * not at all, writers of disjoint keys never conflict. Each test is bounded in time: it fails
 * rather than hangs.
 */
public interface ConcurrencyContract extends EngineFixture {

  /**
   * Concurrent transfers between accounts, each reading two balances and writing both, retried on
   * conflict. Audits in between scan every account in one snapshot: the total must always be the
   * initial one. At the end every balance is exactly its initial value plus its committed transfers.
   */
  @Test
  default void concurrentTransfersConserveMoney() throws Exception {
    int accounts = 50;
    int threads = 4;
    int transfersPerThread = 500;
    long initial = 1_000;
    byte[] begin = k("bank/");
    byte[] end = ByteArrays.strinc(begin);
    Engine engine = engine();
    commit(engine, tx -> {
      for (int a = 0; a < accounts; a++) {
        tx.set(Kit.key("bank/", a), Kit.encodeLong(initial));
      }
    });
    AtomicLongArray expected = new AtomicLongArray(accounts);
    AtomicInteger audits = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    long seed = new Random().nextLong();
    Workers.run(threads, seed, (index, random, deadline) -> {
      for (int t = 0; t < transfersPerThread; t++) {
        if (t % 25 == 0) {
          boolean readOnly = random.nextBoolean();
          try (EngineTransaction tx = engine.begin(readOnly)) {
            List<KeyValue> rows = scan(tx, begin, end, new ScanOptions(random.nextBoolean(), 0));
            assertThat(rows).as("accounts seen by an audit").hasSize(accounts);
            long sum = rows.stream().mapToLong(kv -> Kit.decodeLong(kv.value())).sum();
            assertThat(sum).as("total seen by an audit (readOnly=%s)", readOnly).isEqualTo(accounts * initial);
            tx.commit();
          }
          audits.incrementAndGet();
        }
        int from = random.nextInt(accounts);
        int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
        long amount = 1 + random.nextInt(20);
        for (int attempt = 1; ; attempt++) {
          Workers.checkDeadline(deadline);
          try (EngineTransaction tx = engine.begin(false)) {
            long a = Kit.decodeLong(tx.get(Kit.key("bank/", from)));
            long b = Kit.decodeLong(tx.get(Kit.key("bank/", to)));
            Workers.overlap();
            tx.set(Kit.key("bank/", from), Kit.encodeLong(a - amount));
            tx.set(Kit.key("bank/", to), Kit.encodeLong(b + amount));
            tx.commit();
            expected.addAndGet(from, -amount);
            expected.addAndGet(to, amount);
            break;
          } catch (ConflictException e) {
            conflicts.incrementAndGet();
            Workers.backoff(random, attempt);
          }
        }
      }
    });
    read(engine, tx -> {
      List<KeyValue> rows = scan(tx, begin, end, ScanOptions.FORWARD);
      assertThat(rows).hasSize(accounts);
      for (int a = 0; a < accounts; a++) {
        assertThat(Kit.decodeLong(rows.get(a).value())).as("final balance of account %d (%d conflicts retried)",
            a, conflicts.get()).isEqualTo(initial + expected.get(a));
      }
      return null;
    });
    assertThat(audits.get()).isEqualTo(threads * transfersPerThread / 25);
  }

  @Test
  default void concurrentIncrementsAreNotLost() throws Exception {
    int threads = 4;
    int increments = 100;
    Engine engine = engine();
    commit(engine, tx -> tx.set(k("counter"), Kit.encodeLong(0)));
    Workers.run(threads, new Random().nextLong(), (index, random, deadline) -> {
      for (int i = 0; i < increments; i++) {
        for (int attempt = 1; ; attempt++) {
          Workers.checkDeadline(deadline);
          try (EngineTransaction tx = engine.begin(false)) {
            long c = Kit.decodeLong(tx.get(k("counter")));
            Workers.overlap();
            tx.set(k("counter"), Kit.encodeLong(c + 1));
            tx.commit();
            break;
          } catch (ConflictException e) {
            Workers.backoff(random, attempt);
          }
        }
      }
    });
    read(engine, tx -> {
      assertThat(Kit.decodeLong(tx.get(k("counter")))).isEqualTo((long) threads * increments);
      return null;
    });
  }

  /**
   * A writer commits groups of keys (and later clears whole groups with one range clear) while
   * readers scan: every group a reader sees is complete, with one value throughout.
   */
  @Test
  default void commitsAreSeenWholeOrNotAtAll() throws Exception {
    int groups = 60;
    int perGroup = 5;
    Engine engine = engine();
    AtomicBoolean writerDone = new AtomicBoolean();
    AtomicInteger scans = new AtomicInteger();
    Workers.run(3, new Random().nextLong(), (index, random, deadline) -> {
      if (index == 0) {
        try {
          for (int g = 0; g < groups; g++) {
            int group = g;
            commit(engine, tx -> {
              for (int i = 0; i < perGroup; i++) {
                tx.set(ByteArrays.concat(Kit.key("g/", group), Kit.key("/", i)), Kit.encodeLong(group));
              }
            });
            if (g % 3 == 2) {
              byte[] gone = Kit.key("g/", group - 1);
              commit(engine, tx -> tx.clearRange(gone, ByteArrays.strinc(gone)));
            }
          }
        } finally {
          writerDone.set(true);
        }
        return;
      }
      while (!writerDone.get() || scans.get() < 4) {
        Workers.checkDeadline(deadline);
        try (EngineTransaction tx = engine.begin(random.nextBoolean())) {
          List<KeyValue> rows = scan(tx, k("g/"), k("g0"), new ScanOptions(random.nextBoolean(), 0));
          assertThat(rows.size() % perGroup).as("rows seen: whole groups only, got %s", rows).isZero();
          for (int i = 0; i < rows.size(); i += perGroup) {
            byte[] groupPrefix = java.util.Arrays.copyOf(rows.get(i).key(), 6);
            for (int j = i; j < i + perGroup; j++) {
              assertThat(ByteArrays.startsWith(rows.get(j).key(), groupPrefix)).as("group of row %d in %s", j, rows).isTrue();
              assertThat(rows.get(j).value()).isEqualTo(rows.get(i).value());
            }
          }
        }
        scans.incrementAndGet();
      }
    });
    read(engine, tx -> {
      assertThat(scan(tx, k("g/"), k("g0"), ScanOptions.FORWARD)).hasSize((groups - groups / 3) * perGroup);
      return null;
    });
  }

  /** Blind writers of disjoint keys (including keys that are prefixes of each other) never conflict. */
  @Test
  default void writersOfDisjointKeysNeverConflict() throws Exception {
    int threads = 4;
    int commits = 100;
    Engine engine = engine();
    Workers.run(threads, new Random().nextLong(), (index, random, deadline) -> {
      byte[] own = new byte[index];
      java.util.Arrays.fill(own, (byte) 'p');
      for (int i = 0; i < commits; i++) {
        Workers.checkDeadline(deadline);
        int n = i;
        commit(engine, tx -> {
          Workers.overlap();
          tx.set(own, Kit.encodeLong(n));
          tx.set(ByteArrays.concat(k("w/"), Kit.key("", index), Kit.key("/", n)), Kit.encodeLong(n));
        });
      }
    });
    read(engine, tx -> {
      for (int t = 0; t < threads; t++) {
        byte[] own = new byte[t];
        java.util.Arrays.fill(own, (byte) 'p');
        assertThat(Kit.decodeLong(tx.get(own))).as("last value of writer %d", t).isEqualTo(commits - 1);
      }
      assertThat(scan(tx, k("w/"), k("w0"), ScanOptions.FORWARD)).hasSize(threads * commits);
      return null;
    });
  }
}
