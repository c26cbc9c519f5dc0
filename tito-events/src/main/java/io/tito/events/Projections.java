package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import io.tito.TitoException;
import io.tito.Transaction;
import io.tito.internal.events.AllLog;
import io.tito.internal.events.AllScan;
import io.tito.internal.events.Positions;
import io.tito.pubsub.Event;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs {@link Projection}s over {@code $all} on Tito's consumer core: a projection is a consumer
 * group with one partition, so it has one active runner across processes (a fenced lease: a
 * runner that lost it can no longer commit), retries with backoff, dead letters after the max
 * attempts, and a checkpoint committed in the same transaction as the read-model writes.
 *
 * <pre>{@code
 * Projections projections = events.projections();
 * try (Subscription running = projections.start(balances)) { ... }   // until closed
 * projections.runUntilIdle(balances, Duration.ofMinutes(1));         // or catch up and return
 * projections.pause("balances"); projections.resume("balances");
 * projections.rebuild(balances);                                     // clear + replay from zero
 * projections.delete("balances");                                    // forget it (runners stopped)
 * projections.status("balances").lag();
 * }</pre>
 *
 * <p>Administration ({@link #pause}, {@link #resume}, {@link #resetCheckpoint}, {@link #rebuild},
 * dead letters, {@link #delete} once its runners are stopped) works from any process, while runners run: a reset or rebuild commits in one
 * transaction with a generation bump that makes a runner's in-flight batch (fetched before) fail
 * its commit instead of moving the checkpoint past the reset. Pause takes effect at the runner's
 * next fetch (a batch in hand is finished). Thread-safe.
 */
public final class Projections {

  /** Most events {@link ProjectionStatus#lag} counts. */
  public static final int LAG_COUNT_LIMIT = 100_000;
  private static final String PREFIX = "projection:";

  private final EventStore store;
  private final Consumers consumers;

  Projections(EventStore store, Consumers consumers) {
    this.store = store;
    this.consumers = consumers;
  }

  /** {@link #start(Projection, SubscribeOptions)} with {@link SubscribeOptions#DEFAULTS}. */
  public Subscription start(Projection projection) {
    return start(projection, SubscribeOptions.DEFAULTS);
  }

  /**
   * Starts a runner of {@code projection} in this process, from its checkpoint (the beginning for
   * a new one). It runs while it holds the projection's lease; runners in other processes stand
   * by and take over when it stops or its lease expires. {@code options}: max attempts, backoff,
   * fetch size (events per transaction), lease, heartbeat, handler timeout; its start position is
   * ignored. Close the returned subscription to stop it.
   */
  public Subscription start(Projection projection, SubscribeOptions options) {
    return start(projection, options, null);
  }

  private Subscription start(Projection projection, SubscribeOptions options, Stamp until) {
    String group = group(projection);
    if (options == null) {
      throw new InvalidArgumentException("options must not be null", Map.of());
    }
    consumers.register(group, 0);
    EventFilter filter = projection.filter();
    if (filter == null) {
      throw new InvalidArgumentException("projection filter must not be null", Map.of("name", projection.name()));
    }
    return consumers.subscriptions.subscribeLog(Consumers.TOPIC, group,
        (tx, batch) -> apply(tx, group, projection, batch), options,
        consumers.log(group, filter, until, false));
  }

  private void apply(Transaction tx, String group, Projection projection, List<Event> batch)
      throws Exception {
    long generation = AllLog.generation(tx, store.keys(), group);
    for (Event ev : batch) {
      long fetched = Consumers.generationOf(ev);
      if (fetched >= 0 && fetched != generation) {
        throw new StaleBatchException(projection.name());
      }
      RecordedEvent e = Consumers.decode(ev, store.reader());
      if (e != null) {
        projection.apply(tx, e);
      }
    }
  }

  /**
   * Runs {@code projection} in this process until it has consumed every event that was in {@code
   * $all} when called (or more), then stops it; returns its status then.
   *
   * @throws CatchUpTimeoutException if that takes longer than {@code timeout} (it is stopped)
   */
  public ProjectionStatus runUntilIdle(Projection projection, SubscribeOptions options, Duration timeout) {
    consumers.register(group(projection), 0);
    Stamp target = store.headPosition();
    return runUntil(projection, options, timeout, target);
  }

  /** {@link #runUntilIdle(Projection, SubscribeOptions, Duration)} with default options. */
  public ProjectionStatus runUntilIdle(Projection projection, Duration timeout) {
    return runUntilIdle(projection, SubscribeOptions.DEFAULTS, timeout);
  }

  /**
   * Runs {@code projection} until it has consumed the next {@code options.fetchSize()} events of
   * {@code $all} (one batch, or fewer if fewer are there), then stops it; returns its status.
   */
  public ProjectionStatus runOnce(Projection projection, SubscribeOptions options, Duration timeout) {
    String group = group(projection);
    consumers.register(group, 0);
    Stamp target = consumers.tito.read(tx -> {
      Stamp horizon = tx.stampHorizon(); // first: an engine may bound it tighter before any read
      long cp = consumers.state(tx, group).checkpoint();
      Stamp last = Positions.consumedBefore(cp);
      List<AllScan.Event> events = AllScan.read(tx, store.keys(), Positions.unpack(cp), horizon,
          Math.min(options.fetchSize(), io.tito.RangeRead.MAX_LIMIT)).events();
      int n = Math.min(events.size(), options.fetchSize());
      return n == 0 ? last : events.get(n - 1).position();
    });
    return runUntil(projection, options, timeout, target);
  }

  private ProjectionStatus runUntil(Projection projection, SubscribeOptions options, Duration timeout,
      Stamp target) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Subscription s = start(projection, options, target)) {
      String group = group(projection);
      while (true) {
        // A cheap look (checkpoint and pause flag); the full status (with its lag count) at the end.
        Look look = consumers.tito.read(tx -> new Look(
            Positions.consumedBefore(consumers.state(tx, group).checkpoint()),
            tx.get(store.keys().consumerPaused(group)) != null));
        Stamp position = look.position();
        if (look.paused() || position.compareTo(target) >= 0 || nothingLeft(position, target)) {
          return status(projection.name());
        }
        if (System.nanoTime() - deadline > 0) {
          throw new CatchUpTimeoutException("projection " + projection.name()
              + " did not reach " + target + " in " + timeout + "; it is at " + position);
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.tito.ClosedException("interrupted", Map.of("name", projection.name()));
    }
  }

  /** A runner's checkpoint (last consumed position) and pause flag. */
  private record Look(Stamp position, boolean paused) {}

  /** Whether {@code $all} holds no entry in {@code (after, target]} (entries a tombstone or truncation removed). */
  private boolean nothingLeft(Stamp after, Stamp target) {
    return consumers.tito.read(tx -> {
      List<AllScan.Event> next = AllScan.read(tx, store.keys(), after.next(), tx.stampHorizon(), 1).events();
      return next.isEmpty() || next.get(0).position().compareTo(target) > 0;
    });
  }

  /** Pauses the projection everywhere: runners stop fetching (they keep their lease). */
  public void pause(String name) {
    consumers.setPaused(group(name), true);
  }

  /** Resumes a paused projection. */
  public void resume(String name) {
    consumers.setPaused(group(name), false);
  }

  /**
   * Sets the checkpoint: the projection goes on after {@code after} ({@link Stamp#ZERO}: from the
   * beginning). The read model is left as it is.
   */
  public void resetCheckpoint(String name, Stamp after) {
    String group = group(name);
    if (after == null) {
      throw new InvalidArgumentException("position must not be null", Map.of());
    }
    consumers.requireKnown(group);
    consumers.tito.inTransaction(tx -> consumers.moveCheckpoint(tx, group, Consumers.after(after)));
  }

  /**
   * Rebuilds the read model: in one transaction, {@link Projection#clear} it, drop the dead
   * letters and move the checkpoint to the beginning; the running runner (here or elsewhere)
   * then replays {@code $all}. Afterwards the read model equals that of a fresh run.
   */
  public void rebuild(Projection projection) {
    String group = group(projection);
    consumers.register(group, 0);
    consumers.tito.inTransaction(tx -> {
      try {
        projection.clear(tx);
      } catch (TitoException e) {
        throw e;
      } catch (Exception e) {
        throw new InvalidArgumentException("projection clear failed: " + e, Map.of("name", projection.name()));
      }
      consumers.clearFailures(tx, group);
      consumers.moveCheckpoint(tx, group, 0);
    });
  }

  /**
   * Deletes the projection's own state, in one transaction: its checkpoint, lease, members,
   * requeued entries, dead letters, pause flag and generation. Its read model is the
   * application's and is left as it is (clear it with {@link Projection#clear} if it must go
   * too). Afterwards the projection is unknown ({@link #status} throws, {@link #names} leaves it
   * out); a later start, run or rebuild starts it anew from the beginning of {@code $all}. Stop
   * its runners first.
   *
   * @return whether the projection existed
   * @throws InvalidArgumentException if a runner of it is live, here or in another process
   *     (nothing is deleted; a crashed runner counts until its membership expires, one lease
   *     timeout)
   */
  public boolean delete(String name) {
    return consumers.delete(group(name));
  }

  /**
   * The names of the projections known to the store (every one started, run, rebuilt or reset
   * once, from any process), sorted.
   */
  public List<String> names() {
    return consumers.names(PREFIX);
  }

  /** Where the projection stands. @throws io.tito.NotFoundException if it never ran */
  public ProjectionStatus status(String name) {
    return consumers.status(group(name), name);
  }

  /** The projection's dead letters, at most {@code limit}. */
  public List<EventDeadLetter> deadLetters(String name, int limit) {
    return consumers.deadLetters(group(name), limit, store.reader());
  }

  /** Puts a dead letter back: the runner handles it before going on with {@code $all}. */
  public void requeue(String name, UUID id) {
    consumers.requeue(group(name), id);
  }

  /** Deletes a dead letter; whether it existed. */
  public boolean deleteDeadLetter(String name, UUID id) {
    return consumers.deleteDeadLetter(group(name), id);
  }

  private static String group(Projection p) {
    if (p == null) {
      throw new InvalidArgumentException("projection must not be null", Map.of());
    }
    return group(p.name());
  }

  private static String group(String name) {
    Consumers.checkName(name);
    return PREFIX + name;
  }

  /** A batch fetched before a reset or rebuild: its transaction is refused (nothing written). */
  static final class StaleBatchException extends IllegalStateException {
    StaleBatchException(String name) {
      super("projection " + name + " was reset or rebuilt after this batch was fetched");
    }
  }
}
