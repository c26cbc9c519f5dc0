package io.tito.jdbc;

import io.tito.ByteArrays;
import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.Stamp;
import io.tito.StorageException;
import io.tito.spi.WriteSet;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PostgreSQL: publishes that read nothing, sent together (issue 16).
 *
 * <p>A transaction that read nothing and commits sequenced appends with point writes (an outbox
 * event in its own transaction, a write that publishes blind) commits in one round trip ({@link
 * AppendCommit}'s blind form), judged against a snapshot taken after its locks. Nothing committed
 * before that snapshot can conflict with it, so several such commits are equivalent to one commit
 * of their writes in order: a later member's point write replaces an earlier member's, and a
 * later member's appends to a counter take the positions after the earlier members'. Commits of
 * this kind that arrive while {@link #DURABLE_IN_FLIGHT} batch of them of the engine is in
 * progress ({@link #IN_FLIGHT} for relaxed ones) queue ({@link CommitGroup}); when a batch ends,
 * the first queued commits all that queued as one such commit, on its own connection: one
 * transaction, one set of locks, one WAL flush and one notifications' transaction for the group,
 * where each commit took its own.
 *
 * <p>Every member learns its own positions (those the merged commit gave its appends). The group
 * is one database transaction: it commits whole or not at all, and a change feed, a backup or a
 * point-in-time restore sees its members as one commit. When the merged commit does not commit
 * (a hole, a statement the server rejected, write sets that cannot be merged), nothing of it was
 * written and each member commits alone, judged by itself; only an unknown outcome (a connection
 * lost during the commit, or a failure that may have followed its {@code COMMIT}) is every merged
 * member's.
 *
 * <p>Expectations (a model insert that guesses) are judged by the merged commit's check, before
 * any of the group's writes, which is where each member's would be judged had it committed
 * first. A member that expects a key an earlier member writes (a point, a counter, or under an
 * appended prefix) would have seen that write: it leaves the merge and commits alone after the
 * group. A mismatch closes the merged commit's gate (nothing is written), and every member then
 * commits alone, so only the members whose expectations fail see a conflict.
 *
 * <p>The same holds for a transaction that read nothing and commits point writes and stamped keys
 * inside its snapshot ({@link SnapshotCommit}'s one round: an event append that expects its
 * stream's header, a blind write): such commits queue in a group of their own ({@link
 * #STAMPED_IN_FLIGHT} batch in flight) and merge the same way. The merged commit is one
 * transaction, so its members share one stamp version: each member's stamped writes take the
 * orders after the earlier members' ({@link WriteSet#appendStampedOf}), and the member learns its
 * stamps through {@link WriteSet#materialiseStamps(long, int)} ({@code committedStamp}).
 */
final class AppendGroup {

  /** Commits one member alone (its own connection, every path of the engine). */
  interface Alone {
    void commit(CommitGroup.Member m);
  }

  /**
   * Batches of relaxed publishes in progress at once (durable ones: {@link #DURABLE_IN_FLIGHT}).
   * Two let two concurrent committers go without waiting, as before the groups, and keep one batch
   * being flushed while the next is sent. One that did not wait for its batch to fill made
   * batches larger (a third less server CPU per event) but made every second committer wait for a
   * whole round trip and flush: the model insert at four threads fell to 1,125–2,304 ops/s
   * against 2,309–2,482 with two; three made batches smaller and the server's CPU per event went
   * back towards a commit each (BENCHMARKS.md, "PostgreSQL: publishes that read nothing, sent
   * together").
   */
  static final int IN_FLIGHT = 2;

  /**
   * Batches of durable publishes in progress at once, with their leader waiting up to {@link
   * CommitGroup#LINGER_NANOS} for the batch to be as large as the last one. One batch that waits
   * made the round trips per event fall from 0.63 to 0.25 with four producers, and the model
   * insert at four threads ran at 0.65–0.86 of plain JDBC against 0.59–0.71 with two batches that
   * do not wait (four alternated pairs; one batch that did not wait had made every second
   * committer wait for a whole round: BENCHMARKS.md, "Event appends that wait for their batch to
   * fill"). Relaxed publishes keep {@link #IN_FLIGHT} (not measured).
   */
  static final int DURABLE_IN_FLIGHT = 1;

  /**
   * Batches of point writes and stamped keys in progress at once. One: with four or five
   * concurrent event appenders each batch then holds two to four appends, and the server's CPU per
   * append fell to about half (127–171 µs against 224–297 with the groups off; two batches in
   * flight saved a tenth and cost the writers more), at the same rate: an append's latency is its
   * round trip and the WAL flush, which a batch shares. Two concurrent appenders may wait for each
   * other's commit; their rate stayed within this machine's noise (BENCHMARKS.md, "PostgreSQL:
   * event appends that read nothing, sent together"). Two batches in flight that both wait for
   * their batch to fill were measured later and made batches of two that took longer each (two
   * WAL flushes in turn): 3,510–4,568 appends/s against 4,809–5,275 (docs/DESIGN-NOTES.md,
   * "MariaDB's commit group waits for its batch to fill; what a PostgreSQL batch's flight is made
   * of").
   */
  static final int STAMPED_IN_FLIGHT = 1;

  private final AppendCommit appends;
  private final SnapshotCommit inSnapshot;
  private final CommitGroup durable;
  private final CommitGroup relaxed;
  private final CommitGroup stamped;
  private final String engine;

  AppendGroup(AppendCommit appends, SnapshotCommit inSnapshot, String engine) {
    this.appends = appends;
    this.inSnapshot = inSnapshot;
    this.engine = engine;
    this.durable = new CommitGroup(engine, DURABLE_IN_FLIGHT, CommitGroup.LINGER_NANOS);
    this.relaxed = new CommitGroup(engine, IN_FLIGHT);
    this.stamped = new CommitGroup(engine, STAMPED_IN_FLIGHT, CommitGroup.LINGER_NANOS);
  }

  /**
   * Whether {@code writes} of a transaction that read nothing may join a group: sequenced appends
   * with point writes ({@link AppendCommit}'s one round), or point writes and stamped keys ({@link
   * SnapshotCommit}'s one round: an event append, a blind write).
   */
  static boolean groupable(WriteSet writes) {
    return AppendCommit.eligible(writes) || SnapshotCommit.eligible(writes);
  }

  /**
   * Whether the transaction on {@code c} read nothing (the driver sent nothing since the last
   * transaction ended); false if the connection cannot tell.
   */
  static boolean readNothing(java.sql.Connection c) {
    try {
      return AppendCommit.idle(c);
    } catch (java.sql.SQLException e) {
      return false; // the commit alone meets the connection's failure
    }
  }

  /** The group of sequenced appends with the same durability (for tests). */
  CommitGroup group(boolean relaxedDurability) {
    return relaxedDurability ? relaxed : durable;
  }

  /** The group of point writes and stamped keys (always durable; for tests). */
  CommitGroup stampedGroup() {
    return stamped;
  }

  /**
   * Commits {@code me} (a transaction that read nothing, {@linkplain #groupable groupable}) alone
   * or with the commits that queued while another was in progress; throws its failure.
   */
  void commit(CommitGroup.Member me, boolean relaxedDurability, Alone alone) {
    boolean inSnapshotRound = !me.writes.hasSequenced();
    CommitGroup group = inSnapshotRound ? stamped : group(relaxedDurability);
    group.commit(me, batch -> {
      if (batch.size() > 1) {
        together(batch, relaxedDurability, inSnapshotRound);
      }
      for (CommitGroup.Member m : batch) {
        if (!m.committed && m.failure == null) {
          try {
            alone.commit(m);
            m.committed = true;
          } catch (RuntimeException e) {
            m.failure = e;
          }
        }
      }
    });
  }

  /**
   * Commits {@code batch} as one commit on its first member's connection; leaves every member
   * undecided (to commit alone) if that commit wrote nothing.
   */
  private void together(List<CommitGroup.Member> batch, boolean relaxedDurability,
      boolean inSnapshotRound) {
    WriteSet merged = new WriteSet();
    Set<String> channels = new LinkedHashSet<>();
    long oldest = Long.MAX_VALUE;
    List<CommitGroup.Member> members = new ArrayList<>(batch.size());
    List<Integer> stampOffsets = new ArrayList<>(batch.size());
    for (CommitGroup.Member m : batch) {
      if (expectsEarlierWrite(m.writes, merged)
          || (long) merged.stampOrders() + m.writes.stampOrders() > Stamp.MAX_ORDER + 1L) {
        continue; // commits alone, after the group
      }
      members.add(m);
      for (WriteSet.Expectation e : m.writes.expectations()) {
        merged.expect(e.key(), e.value());
      }
      for (Map.Entry<byte[], byte[]> w : m.writes.points().entrySet()) {
        merged.put(w.getKey(), w.getValue());
      }
      for (WriteSet.SequencedWrite w : m.writes.sequencedWrites()) {
        merged.putSequenced(w.counter(), w.prefix(), w.value());
      }
      stampOffsets.add(merged.appendStampedOf(m.writes));
      channels.addAll(m.channels);
      oldest = Math.min(oldest, m.beganNanos);
    }
    if (members.size() < 2 || !(inSnapshotRound ? SnapshotCommit.eligible(merged)
        : AppendCommit.eligible(merged))) {
      return; // a member's point under another's appends, or one's counter another's point
    }
    boolean committed;
    try {
      committed = inSnapshotRound
          ? inSnapshot.commit(members.get(0).connection, oldest, merged, channels).committed()
          : appends.commit(members.get(0).connection, null, oldest, merged, channels,
              relaxedDurability).committed();
    } catch (ConflictException | StorageException e) {
      return; // refused before its COMMIT took effect: each member commits alone, judged by itself
    } catch (CommitUnknownException e) {
      unknown(members, e);
      return;
    } catch (RuntimeException e) {
      // Anything else may have come after the COMMIT: committing the members again could apply
      // them twice.
      unknown(members, new CommitUnknownException("the group's commit failed; it may or may not"
          + " have been applied", Map.of("engine", engine), e));
      return;
    }
    if (!committed) {
      return; // a hole: nothing was written, each member commits alone
    }
    if (inSnapshotRound) {
      for (int i = 0; i < members.size(); i++) {
        members.get(i).writes.materialiseStamps(merged.stampVersion(), stampOffsets.get(i));
        members.get(i).committed = true;
      }
    } else {
      distribute(members, merged);
    }
  }

  private static void unknown(List<CommitGroup.Member> members, CommitUnknownException e) {
    for (CommitGroup.Member m : members) {
      m.failure = e;
    }
  }

  /**
   * Whether an expectation of {@code writes} names a key that {@code earlier} (the earlier
   * members' writes) writes: a point, a counter, or a key under an appended prefix.
   */
  static boolean expectsEarlierWrite(WriteSet writes, WriteSet earlier) {
    for (WriteSet.Expectation e : writes.expectations()) {
      byte[] key = e.key();
      if (earlier.points().containsKey(key)) {
        return true;
      }
      for (WriteSet.SequencedWrite w : earlier.sequencedWrites()) {
        if (java.util.Arrays.equals(w.counter(), key) || ByteArrays.startsWith(key, w.prefix())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Gives each member the positions the merged commit assigned to its appends. */
  private static void distribute(List<CommitGroup.Member> batch, WriteSet merged) {
    Map<byte[], Long> next = new TreeMap<>(ByteArrays.COMPARATOR);
    for (byte[] counter : merged.sequenceCounters()) {
      next.put(counter, merged.sequenceStart(counter));
    }
    for (CommitGroup.Member m : batch) {
      List<byte[]> counters = m.writes.sequenceCounters();
      List<byte[]> bases = new ArrayList<>(counters.size());
      for (byte[] counter : counters) {
        bases.add(Tuple.of(next.get(counter)).pack());
      }
      m.writes.materialiseSequences(keys -> bases);
      for (WriteSet.SequencedWrite w : m.writes.sequencedWrites()) {
        next.merge(w.counter(), 1L, Long::sum);
      }
      m.committed = true;
    }
  }
}
