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
 * The commits of one store's engine that arrive while others of its commits are in progress, sent
 * together by one of them (issue 16): on MariaDB those that wait for the version row lock ({@link
 * GroupCommit}), on PostgreSQL publishes that read nothing ({@link AppendGroup}).
 *
 * <p>A commit that finds fewer than {@code maxInFlight} batches in progress (one on MariaDB, whose
 * version row lock serialises every commit of a store anyway) leads at once: it commits alone
 * (after lingering, below, if the group lingers). Commits that arrive meanwhile queue in this
 * object; when a batch is done, the first of them leads the others (up to {@link #MAX_MEMBERS},
 * {@link MultiStatementCommit#MAX_ROWS} rows and {@link MultiStatementCommit#MAX_BYTES} bytes
 * together) through the caller's {@link Runner}, which sets each member's own outcome: committed,
 * or its own failure. The others wait without their connections doing anything.
 *
 * <p>A group is whatever queued while the batches before it were in progress, unless the group
 * lingers ({@code lingerNanos} above zero): then a leader whose batch would hold fewer commits
 * than the last batch did waits, at most that long, for as many to queue. Committers that
 * append in a loop come back together when their batch ends; without lingering the first of them
 * to come back would lead alone or with a few, and the group would settle into small batches
 * that alternate. A lone committer (last batch of one) never waits, and a committer that stops
 * costs one linger, after which the expected size follows the batch actually sent. A queued
 * commit waits on a condition of its own, so a batch's end wakes only its members and the next
 * leader (one condition for all woke every queued commit at every batch's end). Thread-safe.
 */
final class CommitGroup {

  /** The most commits sent together. */
  static final int MAX_MEMBERS = 64;

  /**
   * How long the leader of a batch may wait for it to be as large as the last one (300 µs), in
   * the groups that linger: PostgreSQL's event appends and durable publishes ({@link
   * AppendGroup}) and MariaDB's commits ({@link MultiStatementCommit}). On PostgreSQL four event
   * appenders then sent batches of 3.9 appends on average instead of 2.6 and appended 1.03–1.42×
   * as fast with one event per append (BENCHMARKS.md, "Event appends that wait for their batch to
   * fill"); on MariaDB the model insert at four threads ran 1.27–1.65× as fast and event appends
   * 1.19–1.24× (BENCHMARKS.md, "MariaDB's commit group waits for its batch to fill"). A lone
   * committer never waits; a committer that stops costs at most one wait.
   */
  static final long LINGER_NANOS = 300_000;

  /** One commit in the group: its transaction's state, then its outcome. */
  static final class Member {
    final Connection connection;
    final long snapshot;
    final long beganNanos;
    final WriteSet writes;
    /** The notification channels of its commit (PostgreSQL; empty on MariaDB). */
    final java.util.Collection<String> channels;
    /** Set once its writes committed. */
    boolean committed;
    /** Why it did not commit (a conflict of its own, or the group's failure), or null. */
    RuntimeException failure;
    private boolean done;
    private boolean leads;
    /** Signalled when it is done or leads (its own: a batch wakes only the threads it concerns). */
    private Condition ready;

    Member(Connection connection, long snapshot, long beganNanos, WriteSet writes) {
      this(connection, snapshot, beganNanos, writes, List.of());
    }

    Member(Connection connection, long snapshot, long beganNanos, WriteSet writes,
        java.util.Collection<String> channels) {
      this.connection = connection;
      this.snapshot = snapshot;
      this.beganNanos = beganNanos;
      this.writes = writes;
      this.channels = channels;
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
  /** Batches in progress, at most {@link #maxInFlight}. */
  private int inFlight;
  private final int maxInFlight;
  private int holdForTest;
  /** Leaders waiting for {@link #holdForTest} members (counted as queued). */
  private int holding;
  private final LongAdder groups = new LongAdder();
  private final LongAdder grouped = new LongAdder();
  private final String engine;
  /** How long a leader may wait for its batch to reach the last batch's size (0: never). */
  private final long lingerNanos;
  /** Signalled when a commit queues while a leader lingers. */
  private final Condition lingerers = lock.newCondition();
  /** Leaders lingering now. */
  private int lingering;
  /** The size of the last batch taken: what a lingering leader waits for. */
  private int lastBatchSize = 1;

  /**
   * @param engine the engine's name, for the context of the errors it reports
   * @param maxInFlight how many batches may be in progress at once (1 where commits serialise
   *     anyway, as on MariaDB's version row lock)
   */
  CommitGroup(String engine, int maxInFlight) {
    this(engine, maxInFlight, 0);
  }

  /**
   * @param engine the engine's name, for the context of the errors it reports
   * @param maxInFlight how many batches may be in progress at once
   * @param lingerNanos how long a leader may wait for its batch to reach the last batch's size
   *     (0: never waits)
   */
  CommitGroup(String engine, int maxInFlight, long lingerNanos) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    if (lingerNanos < 0) {
      throw new IllegalArgumentException("lingerNanos must not be negative, was " + lingerNanos);
    }
    this.engine = engine;
    this.maxInFlight = maxInFlight;
    this.lingerNanos = lingerNanos;
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
      return queue.size() + holding;
    } finally {
      lock.unlock();
    }
  }

  /** For tests: how long a leader may wait for its batch to fill (0: never). */
  long lingerNanosForTest() {
    return lingerNanos;
  }

  /** For tests: how many leaders are lingering for their batch to fill. */
  int lingeringForTest() {
    lock.lock();
    try {
      return lingering;
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

  /**
   * Leads at once if fewer than {@link #maxInFlight} batches are in progress, else queues {@code
   * me}; returns the batch it leads, or null once another leader committed it.
   */
  private List<Member> join(Member me) {
    lock.lock();
    try {
      // While a test holds the next batch, commits queue unless none is in progress.
      if (inFlight < maxInFlight && (holdForTest == 0 || inFlight == 0)) {
        inFlight++;
        return takeBatch(me);
      }
      queue.add(me);
      if (lingering > 0) {
        lingerers.signalAll(); // a lingering leader counts the queue
      }
      if (holding > 0) {
        changed.signalAll(); // a leader held by the test counts the queue
      }
      me.ready = lock.newCondition();
      boolean interrupted = false;
      while (!me.done && !me.leads) {
        try {
          me.ready.await();
        } catch (InterruptedException e) {
          // The outcome must be known before returning: keep waiting, keep the interrupt.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return me.done ? null : takeBatch(me);
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held: the batch {@code leader} leads, itself first, then from the queue. */
  private List<Member> takeBatch(Member leader) {
    if (holdForTest > 0) {
      holding++;
      changed.signalAll();
      while (holdForTest > 0 && queue.size() + holding < holdForTest) {
        changed.awaitUninterruptibly();
      }
      holding--;
      holdForTest = 0;
    } else if (lingerNanos > 0) {
      linger();
    }
    List<Member> batch = new ArrayList<>();
    batch.add(leader);
    int rows = leader.rows();
    long bytes = leader.writes.bytes();
    while (!queue.isEmpty() && batch.size() < MAX_MEMBERS) {
      Member next = queue.peek();
      int r = next.rows();
      long b = next.writes.bytes();
      if (rows + r > MultiStatementCommit.MAX_ROWS || bytes + b > MultiStatementCommit.MAX_BYTES) {
        break;
      }
      batch.add(queue.poll());
      rows += r;
      bytes += b;
    }
    lastBatchSize = batch.size();
    return batch;
  }

  /**
   * With the lock held, by a leader: waits (the lock released meanwhile) until the queue and the
   * leader make the last batch's size, at most {@link #lingerNanos}. An interrupt ends the wait
   * and is kept.
   */
  private void linger() {
    long left = lingerNanos;
    lingering++;
    try {
      while (queue.size() + 1 < lastBatchSize && left > 0) {
        left = lingerers.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lingering--;
    }
  }

  /** With the lock held: wakes {@code m}'s thread if it waits (a leader's own thread does not). */
  private static void wake(Member m) {
    if (m.ready != null) {
      m.ready.signal();
    }
  }

  /** Marks {@code batch} done and hands the lead to the first queued commit, if any. */
  private void finish(List<Member> batch) {
    lock.lock();
    try {
      for (Member m : batch) {
        m.done = true;
        wake(m);
      }
      Member next = queue.poll();
      if (next == null) {
        inFlight--;
      } else {
        next.leads = true; // it takes the batch slot this one leaves
        wake(next);
      }
    } finally {
      lock.unlock();
    }
  }
}
