package io.tito.jdbc;

import io.tito.CommitUnknownException;
import io.tito.spi.WriteSet;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MariaDB: the commits of one store's engine that wait while another of its commits holds the
 * version row lock, sent together by one of them (issue 16).
 *
 * <p>The version row lock serialises every commit of a store, its client round trip included, so
 * on MariaDB the commits of an engine's threads queued on it one by one. Here a commit that finds
 * no commit of its engine in progress leads: it commits alone, exactly as before. Commits that
 * arrive meanwhile queue in this object; when the leader is done, the first of them leads the
 * others (up to {@link #MAX_MEMBERS}, {@link MultiStatementCommit#MAX_ROWS} rows and {@link
 * MultiStatementCommit#MAX_BYTES} bytes together) in one commit transaction on its own connection
 * ({@link GroupCommit}), and each member learns its own outcome: committed with a version of its
 * own, or its own conflict. The others wait without their connections doing anything; their
 * snapshot transactions are ended when their transactions release them.
 *
 * <p>No commit waits for a group to fill: a group is whatever queued during the previous commit.
 * Thread-safe.
 */
final class CommitGroup {

  /** The most commits sent together. */
  static final int MAX_MEMBERS = 64;

  /** One commit in the group: its transaction's state, then its outcome. */
  static final class Member {
    final Connection connection;
    final long snapshot;
    final long beganNanos;
    final WriteSet writes;
    /** Set once its writes committed. */
    boolean committed;
    /** Why it did not commit (a conflict of its own, or the group's failure), or null. */
    RuntimeException failure;
    private boolean done;
    private boolean leads;

    Member(Connection connection, long snapshot, long beganNanos, WriteSet writes) {
      this.connection = connection;
      this.snapshot = snapshot;
      this.beganNanos = beganNanos;
      this.writes = writes;
    }

    int rows() {
      return MultiStatementCommit.rows(writes);
    }
  }

  /** Commits a batch: one member alone, or several together (each member's outcome set). */
  interface Runner {
    void run(List<Member> batch);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Member> queue = new ArrayDeque<>();
  private boolean leading;
  private int holdForTest;
  private final LongAdder groups = new LongAdder();
  private final LongAdder grouped = new LongAdder();
  private final String engine;

  /** @param engine the engine's name, for the context of the errors it reports */
  CommitGroup(String engine) {
    this.engine = engine;
  }

  /**
   * Commits {@code me} through {@code runner}, leading its batch or waiting for the leader of the
   * batch it joins; returns once its outcome is known and throws its failure.
   */
  void commit(Member me, Runner runner) {
    List<Member> batch = join(me);
    if (batch != null) {
      if (batch.size() > 1) {
        groups.increment();
        grouped.add(batch.size());
      }
      Error error = null;
      try {
        runner.run(batch);
      } catch (RuntimeException | Error e) {
        // A runner sets every member's outcome; one that failed otherwise leaves it unknown.
        for (Member m : batch) {
          if (!m.committed && m.failure == null) {
            m.failure = new CommitUnknownException("the commit group failed; the commit may or may"
                + " not have been applied", java.util.Map.of("engine", engine), e);
          }
        }
        error = e instanceof Error err ? err : null;
      } finally {
        finish(batch);
      }
      if (error != null) {
        throw error;
      }
    }
    if (!me.committed) {
      throw me.failure != null ? me.failure : new CommitUnknownException(
          "the commit group set no outcome", java.util.Map.of("engine", engine), null);
    }
  }

  /** How many batches of two or more commits were sent, and how many commits they held. */
  long[] groupsForTest() {
    return new long[] {groups.sum(), grouped.sum()};
  }

  /** For tests: how many commits wait in the queue (a leader holding for a batch included). */
  int queuedForTest() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * For tests: the next leader of a batch waits until {@code members} commits (itself included)
   * have queued, so that a test can make a group of a known size.
   */
  void holdNextBatchForTest(int members) {
    lock.lock();
    try {
      holdForTest = members;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code me}; returns the batch it leads, or null once another leader committed it. */
  private List<Member> join(Member me) {
    lock.lock();
    try {
      queue.add(me);
      changed.signalAll();
      if (!leading) {
        leading = true;
        return takeBatch();
      }
      boolean interrupted = false;
      while (!me.done && !me.leads) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          // The outcome must be known before returning: keep waiting, keep the interrupt.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return me.done ? null : takeBatch();
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held and the leader at the head of the queue: its batch, taken from the queue. */
  private List<Member> takeBatch() {
    while (holdForTest > 0 && queue.size() < holdForTest) {
      changed.awaitUninterruptibly();
    }
    holdForTest = 0;
    List<Member> batch = new ArrayList<>();
    int rows = 0;
    long bytes = 0;
    while (!queue.isEmpty() && batch.size() < MAX_MEMBERS) {
      Member next = queue.peek();
      int r = next.rows();
      long b = next.writes.bytes();
      if (!batch.isEmpty() && (rows + r > MultiStatementCommit.MAX_ROWS
          || bytes + b > MultiStatementCommit.MAX_BYTES)) {
        break;
      }
      batch.add(queue.poll());
      rows += r;
      bytes += b;
    }
    return batch;
  }

  /** Marks {@code batch} done and hands the lead to the first queued commit, if any. */
  private void finish(List<Member> batch) {
    lock.lock();
    try {
      for (Member m : batch) {
        m.done = true;
      }
      Member next = queue.peek();
      if (next == null) {
        leading = false;
      } else {
        next.leads = true;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
