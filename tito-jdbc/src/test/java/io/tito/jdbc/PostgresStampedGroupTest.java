package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL: point writes and stamped keys of transactions that read nothing (an event append,
 * a blind write), queued while others are in progress, commit as one ({@link AppendGroup}'s
 * stamped group, {@link SnapshotCommit}'s one round). Every member's stamped writes take
 * consecutive orders after the earlier members', and {@link EngineTransaction#committedStamp}
 * names the keys they got. Each test makes a batch of a known order through the group's test hook.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresStampedGroupTest extends PostgresGroupFixture {

  private static final byte[] ALL = b("all/");

  @Test
  void membersCommitAsOneAndEachLearnsTheStampsItsKeysGot() throws Exception {
    commit(tx -> tx.setStamped(ALL, b("before")));
    List<EngineTransaction> txs = new ArrayList<>();
    List<int[]> orders = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      EngineTransaction tx = engine.begin(false); // reads nothing
      tx.set(b("shared"), b("from " + i)); // the last member's write stays
      tx.set(b("own/" + i), b("v" + i));
      int first = tx.setStamped(ALL, b("m" + i + "a"));
      if (i == 1) {
        Object sp = tx.savepoint(); // an order taken and undone: a gap the member keeps
        tx.setStamped(ALL, b("undone"));
        tx.rollbackToSavepoint(sp);
      }
      int second = tx.setStamped(ALL, b("m" + i + "b"), 5); // stands for five positions
      int third = tx.setStamped(b("ref/"), b("m" + i + "c"));
      orders.add(new int[] {first, second, third});
      txs.add(tx);
    }
    assertThat(commitAsOneGroup(txs)).containsOnlyNulls();
    long version = txs.get(0).commitVersion();
    Stamp previous = null;
    for (int i = 0; i < 3; i++) {
      EngineTransaction tx = txs.get(i);
      assertThat(tx.commitVersion()).as("member %d shares the group's version", i).isEqualTo(version);
      int[] o = orders.get(i);
      Stamp a = tx.committedStamp(o[0]);
      Stamp bStamp = tx.committedStamp(o[1]);
      Stamp c = tx.committedStamp(o[2]);
      assertThat(read(a.appendTo(ALL))).isEqualTo("m" + i + "a");
      assertThat(read(bStamp.appendTo(ALL))).isEqualTo("m" + i + "b");
      assertThat(read(c.appendTo(b("ref/")))).isEqualTo("m" + i + "c");
      assertThat(bStamp.order() - a.order()).as("member %d's order differences", i)
          .isEqualTo(o[1] - o[0]);
      assertThat(c.order() - bStamp.order()).isEqualTo(o[2] - o[1]).isEqualTo(5);
      if (previous != null) {
        assertThat(a).as("member %d's stamps follow the earlier member's", i).isGreaterThan(previous);
      }
      previous = c;
      assertThat(read(b("own/" + i))).isEqualTo("v" + i);
      assertThatThrownBy(() -> tx.committedStamp(o[2] + 1)).as("an order no write took")
          .isInstanceOf(InvalidArgumentException.class);
    }
    assertThat(read(b("shared"))).isEqualTo("from 2");
    assertThat(stampedValues(ALL)).containsExactly("before", "m0a", "m0b", "m1a", "m1b", "m2a", "m2b");
    Set<Stamp> all = new HashSet<>();
    for (KeyValue kv : scan(ALL)) {
      assertThat(all.add(Stamp.fromBytes(kv.key(), ALL.length))).isTrue();
    }
    try (EngineTransaction after = engine.begin(false)) {
      int order = after.setStamped(ALL, b("after"));
      after.commit();
      assertThat(after.committedStamp(order)).as("a commit alone is not shifted")
          .isEqualTo(new Stamp(after.commitVersion(), order)).isGreaterThan(previous);
    }
  }

  @Test
  void aMemberWhoseExpectationFailsIsRefusedAloneAndTheOthersCommit() throws Exception {
    commit(tx -> tx.set(b("stream/taken"), b("x")));
    EngineTransaction first = blindAppend("stream/a", "a");
    EngineTransaction refused = blindAppend("stream/taken", "mine");
    EngineTransaction last = blindAppend("stream/b", "b");
    List<RuntimeException> out = commitAsOneGroup(List.of(first, refused, last));
    assertThat(out.get(0)).isNull();
    assertThat(out.get(1)).isInstanceOf(ConflictException.class);
    assertThat(out.get(2)).isNull();
    assertThat(read(b("stream/taken"))).isEqualTo("x");
    assertThat(stampedValues(ALL)).containsExactly("a", "b");
    assertThat(read(first.committedStamp(0).appendTo(ALL))).isEqualTo("a");
    assertThat(read(last.committedStamp(0).appendTo(ALL))).isEqualTo("b");
  }

  @Test
  void aMemberExpectingAKeyAnEarlierMemberWritesSeesThatWrite() throws Exception {
    EngineTransaction creator = blindAppend("stream/a", "first");
    EngineTransaction again = blindAppend("stream/a", "second"); // expects it absent
    EngineTransaction other = blindAppend("stream/b", "b");
    List<RuntimeException> out = commitAsOneGroup(List.of(creator, again, other));
    assertThat(out.get(0)).isNull();
    assertThat(out.get(1)).isInstanceOf(ConflictException.class);
    assertThat(out.get(2)).isNull();
    assertThat(read(b("stream/a"))).isEqualTo("first");
    assertThat(creator.commitVersion()).as("the two left merged").isEqualTo(other.commitVersion());
    assertThat(stampedValues(ALL)).containsExactly("first", "b");
  }

  @Test
  void aGroupThatMeetsAHoleCommitsEveryMemberAloneAndLogsEach() throws Exception {
    commit(tx -> tx.setStamped(ALL, b("unlogged")));
    assertThat(engine.sendsChangeLogForTest(false)).as("no hold seen yet").isFalse();
    long start = holdFromAnotherProcess();
    List<EngineTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      EngineTransaction tx = engine.begin(false);
      tx.set(b("k" + i), b("v" + i));
      tx.setStamped(ALL, b("e" + i));
      txs.add(tx);
    }
    assertThat(commitAsOneGroup(txs)).containsOnlyNulls();
    List<String> changed = keysLoggedAfter(start);
    Set<Long> versions = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      EngineTransaction tx = txs.get(i);
      versions.add(tx.commitVersion());
      assertThat(tx.committedStamp(0)).as("alone: not shifted").isEqualTo(new Stamp(tx.commitVersion(), 0));
      assertThat(changed).contains(ByteArrays.printable(b("k" + i)),
          ByteArrays.printable(tx.committedStamp(0).appendTo(ALL)));
    }
    assertThat(versions).as("three commits").hasSize(3);
    releaseHold();
  }

  /** A transaction that reads nothing: it expects {@code header} absent, writes it, and stamps. */
  private EngineTransaction blindAppend(String header, String value) {
    EngineTransaction tx = engine.begin(false);
    tx.expect(b(header), null);
    tx.set(b(header), b(value));
    tx.setStamped(ALL, b(value));
    return tx;
  }

  private List<RuntimeException> commitAsOneGroup(List<EngineTransaction> txs) throws Exception {
    return CommitGroupTesting.commitAsOneGroup(engine.commitWriter().stampedGroupForTest(), txs);
  }

  private List<KeyValue> scan(byte[] prefix) {
    try (EngineTransaction tx = engine.begin(true)) {
      return tx.scan(prefix, ByteArrays.strinc(prefix), ScanOptions.FORWARD).toList();
    }
  }

  private List<String> stampedValues(byte[] prefix) {
    return scan(prefix).stream().map(kv -> new String(kv.value(), StandardCharsets.UTF_8)).toList();
  }
}
