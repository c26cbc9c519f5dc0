package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Expectations ({@link EngineTransaction#expect}): a read whose answer the transaction names. The
 * transaction commits only if {@code get} at that point would have answered it, judged against
 * the snapshot and the transaction's own earlier writes, whether the engine reads at once or
 * inside its commit; a mismatch is a {@link ConflictException} (from the call or the commit) and
 * nothing is applied.
 */
public interface ExpectationContract extends EngineFixture {

  private byte[] valueAt(String key) {
    return read(engine(), tx -> tx.get(k(key)));
  }

  /** Runs {@code tx.expect} and {@code commit}; returns whether either threw a conflict. */
  private static boolean expectAndCommit(EngineTransaction tx, byte[] key, byte[] expected) {
    try {
      tx.expect(key, expected);
      tx.commit();
      return false;
    } catch (ConflictException e) {
      assertThat(e.context()).as("the conflict names its cause").containsEntry("reason", "expectation");
      return true;
    }
  }

  @Test
  default void aMetExpectationCommitsTheWrites() {
    commit(engine(), tx -> tx.set(k("head"), v("1")));
    try (EngineTransaction tx = engine().begin(false)) {
      tx.expect(k("head"), v("1"));
      tx.expect(k("absent"), null);
      tx.set(k("head"), v("2"));
      tx.set(k("event-2"), v("e"));
      tx.commit();
    }
    assertThat(valueAt("head")).isEqualTo(v("2"));
    assertThat(valueAt("event-2")).isEqualTo(v("e"));
  }

  @Test
  default void aWrongValueAnAbsentKeyOrAPresentOneFailsAndWritesNothing() {
    commit(engine(), tx -> {
      tx.set(k("head"), v("1"));
      tx.set(k("empty"), v(""));
    });
    record Case(String key, byte[] expected) {}
    Case[] wrong = {
        new Case("head", v("0")), // another value
        new Case("head", null), // present, expected absent
        new Case("nothing", v("1")), // absent, expected present
        new Case("nothing", v("")), // absent is not the empty value
        new Case("empty", null), // the empty value is present
    };
    for (Case c : wrong) {
      EngineTransaction tx = engine().begin(false);
      tx.set(k("written"), v(c.key()));
      assertThat(expectAndCommit(tx, k(c.key()), c.expected()))
          .as("expecting %s at %s must fail", c.expected() == null ? "absence" : "a value", c.key())
          .isTrue();
      tx.close();
      assertThat(valueAt("written")).as("nothing applied").isNull();
    }
    try (EngineTransaction tx = engine().begin(false)) {
      tx.expect(k("empty"), v(""));
      tx.set(k("written"), v("ok"));
      tx.commit();
    }
    assertThat(valueAt("written")).isEqualTo(v("ok"));
  }

  @Test
  default void aClearedKeyIsAbsent() {
    commit(engine(), tx -> tx.set(k("gone"), v("1")));
    commit(engine(), tx -> tx.clear(k("gone")));
    try (EngineTransaction tx = engine().begin(false)) {
      tx.expect(k("gone"), null);
      tx.set(k("after"), v("1"));
      tx.commit();
    }
    EngineTransaction tx = engine().begin(false);
    tx.set(k("after"), v("2"));
    assertThat(expectAndCommit(tx, k("gone"), v("1"))).as("a tombstone is no value").isTrue();
    tx.close();
    assertThat(valueAt("after")).isEqualTo(v("1"));
  }

  @Test
  default void theTransactionsOwnEarlierWritesAreWhatItExpectsAgainst() {
    commit(engine(), tx -> tx.set(k("head"), v("1")));
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("head"), v("2"));
      tx.clear(k("x"));
      assertThatThrownBy(() -> tx.expect(k("head"), v("1")))
          .as("the snapshot's value is hidden by this transaction's write").isInstanceOf(ConflictException.class);
      tx.expect(k("head"), v("2"));
      tx.expect(k("x"), null);
      tx.commit();
    }
    assertThat(valueAt("head")).isEqualTo(v("2"));
  }

  /**
   * An expectation commits exactly when the read it replaces would: under snapshot isolation a
   * value changed after the snapshot still meets an expectation of the snapshot's value; an engine
   * with {@link Capability#SERIALIZABLE} fails both, the read being stale. The latest value, when
   * the snapshot holds another, never meets it.
   */
  @Test
  default void anExpectationIsJudgedInTheSnapshotNotAtTheLatestValue() {
    boolean[] committed = new boolean[2];
    for (int i = 0; i < 2; i++) {
      commit(engine(), tx -> tx.set(k("head"), v("1")));
      EngineTransaction tx = engine().begin(false);
      pin(tx);
      commit(engine(), other -> other.set(k("head"), v("2")));
      if (i == 0) {
        assertThat(tx.get(k("head"))).as("the snapshot's value").isEqualTo(v("1"));
      } else {
        tx.expect(k("head"), v("1"));
      }
      tx.set(k("elsewhere"), v("a" + i));
      try {
        tx.commit();
        committed[i] = true;
      } catch (ConflictException e) {
        committed[i] = false;
      }
      tx.close();
    }
    assertThat(committed[1]).as("the expectation commits exactly when the read does").isEqualTo(committed[0]);
    if (!engine().capabilities().contains(Capability.SERIALIZABLE)) {
      assertThat(committed[1]).as("snapshot isolation: the snapshot's value is met").isTrue();
    }
    byte[] before = valueAt("elsewhere");
    EngineTransaction tx = engine().begin(false);
    pin(tx);
    commit(engine(), other -> other.set(k("head"), v("3")));
    tx.set(k("elsewhere"), v("b"));
    assertThat(expectAndCommit(tx, k("head"), v("3")))
        .as("a value committed after the snapshot is not what the snapshot holds").isTrue();
    tx.close();
    assertThat(valueAt("elsewhere")).isEqualTo(before);
  }

  @Test
  default void anExpectedKeyAlsoWrittenConflictsWithALaterCommitOfIt() {
    commit(engine(), tx -> tx.set(k("head"), v("1")));
    EngineTransaction tx = engine().begin(false);
    pin(tx);
    tx.expect(k("head"), v("1"));
    tx.set(k("head"), v("2a"));
    commit(engine(), other -> other.set(k("head"), v("2b")));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    tx.close();
    assertThat(valueAt("head")).isEqualTo(v("2b"));
  }

  @Test
  default void aTransactionThatOnlyExpectsStillFailsOnAMismatch() {
    commit(engine(), tx -> tx.set(k("head"), v("1")));
    try (EngineTransaction tx = engine().begin(false)) {
      tx.expect(k("head"), v("1"));
      tx.commit();
    }
    EngineTransaction tx = engine().begin(false);
    assertThat(expectAndCommit(tx, k("head"), v("9"))).isTrue();
    tx.close();
    try (EngineTransaction ro = engine().begin(true)) {
      assertThatThrownBy(() -> ro.expect(k("head"), v("9"))).isInstanceOf(ConflictException.class);
      ro.expect(k("head"), v("1"));
    }
  }

  @Test
  default void aRangeClearedByAnotherCommitSinceTheSnapshotDoesNotHideAMismatch() {
    commit(engine(), tx -> {
      tx.set(k("head"), v("1"));
      tx.set(k("r1"), v("x"));
    });
    for (boolean met : new boolean[] {true, false}) {
      EngineTransaction tx = engine().begin(false);
      pin(tx);
      commit(engine(), other -> other.clearRange(k("r"), k("s")));
      tx.set(k("out"), v(String.valueOf(met)));
      boolean failed = expectAndCommit(tx, k("head"), met ? v("1") : v("0"));
      tx.close();
      assertThat(failed).as("expectation %s", met ? "met" : "not met").isEqualTo(!met);
    }
    assertThat(valueAt("out")).isEqualTo(v("true"));
  }

  @Test
  default void anExpectationBesideSequencedAppendsIsJudgedToo() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.COMMIT_SEQUENCED_APPENDS),
        "engine has no sequenced appends");
    commit(engine(), tx -> tx.set(k("head"), v("1")));
    EngineTransaction tx = engine().begin(false);
    tx.appendSequenced(k("counter"), k("log/"), v("e"));
    assertThat(expectAndCommit(tx, k("head"), v("0"))).isTrue();
    tx.close();
    assertThat(valueAt("counter")).as("nothing appended").isNull();
    try (EngineTransaction ok = engine().begin(false)) {
      ok.appendSequenced(k("counter"), k("log/"), v("e"));
      ok.expect(k("head"), v("1"));
      ok.commit();
    }
    assertThat(valueAt("counter")).as("appended").isNotNull();
  }

  /**
   * Beside sequenced appends too, an expectation is judged in the transaction's snapshot (a
   * transaction that read, so its snapshot predates a later commit of the key): the snapshot's
   * value meets it, the later one does not, and a failed commit appends nothing.
   */
  @Test
  default void anExpectationBesideSequencedAppendsIsJudgedInTheSnapshot() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.COMMIT_SEQUENCED_APPENDS),
        "engine has no sequenced appends");
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.SERIALIZABLE),
        "a serializable engine fails a stale read");
    for (String expected : new String[] {"2", "1"}) {
      commit(engine(), tx -> tx.set(k("head"), v("1")));
      EngineTransaction tx = engine().begin(false);
      pin(tx);
      commit(engine(), other -> other.set(k("head"), v("2")));
      tx.appendSequenced(k("counter"), k("log/"), v(expected));
      boolean failed = expectAndCommit(tx, k("head"), v(expected));
      tx.close();
      assertThat(failed).as("expecting the %s value", expected.equals("1") ? "snapshot's" : "later")
          .isEqualTo(expected.equals("2"));
    }
    java.util.List<io.tito.KeyValue> log =
        read(engine(), tx -> Kit.scan(tx, k("log/"), k("log0"), io.tito.ScanOptions.FORWARD));
    assertThat(log).as("only the append whose expectation held").extracting(io.tito.KeyValue::value)
        .containsExactly(v("1"));
  }

  /** An engine declaring deferred expectations reports a mismatch at commit, not at the call. */
  @Test
  default void anEngineThatDefersExpectationsJudgesThemAtCommit() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.DEFERRED_EXPECTATIONS),
        "engine reads expectations at once");
    commit(engine(), tx -> tx.set(k("head"), v("1")));
    EngineTransaction tx = engine().begin(false);
    tx.expect(k("head"), v("0")); // deferred: no read, no error yet
    tx.set(k("written"), v("x"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    tx.close();
    assertThat(valueAt("written")).isNull();
  }

  @Test
  default void aNullKeyIsRefused() {
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.expect(null, v("1"))).isInstanceOf(InvalidArgumentException.class);
    }
  }
}
