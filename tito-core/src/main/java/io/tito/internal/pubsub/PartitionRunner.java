package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.CommitUnknownException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.TitoException;
import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.pubsub.SubscribeOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one partition for one group while its worker holds the lease at {@link #epoch}: reads
 * the head (redeliveries first, then the log from the checkpoint), runs the handler, and commits
 * progress in transactions that first check the lease and the state's epoch (fencing). Runs on
 * its own virtual thread; stops when asked to release, when the worker stops, or when fenced.
 */
final class PartitionRunner implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PartitionRunner.class);

  /** Thrown inside a transaction when this runner no longer owns the partition. */
  private static final class Fenced extends RuntimeException {
    Fenced() {
      super("lease lost", null, false, false);
    }
  }

  /** Wraps a handler's failure so the transaction runner rethrows it untouched. */
  private static final class HandlerFailure extends RuntimeException {
    HandlerFailure(Throwable cause) {
      super(cause);
    }
  }

  /**
   * Thrown when the items were consumed meanwhile (by an attempt given up on that committed), or
   * when a fresh runner took the partition over from this one.
   */
  private static final class Stale extends RuntimeException {
    Stale() {
      super("already consumed", null, false, false);
    }
  }

  /**
   * One event to hand over: a redelivery (with its own attempt count) or a log event (the one at
   * the checkpoint carries the group state's count, later ones none).
   */
  private record Item(boolean redo, long redoNumber, long position, byte[] bytes, UUID redoId,
      int attempts, long retryAtMillis) {}

  private record Fetch(GroupState state, List<Item> items, boolean dueNow, Instant nextDue) {}

  final int partition;
  final long epoch;
  private final Worker worker;
  private final Context ctx;
  private final Keys keys;
  private final String topic;
  private final String group;
  private final SubscribeOptions options;
  volatile long leaseExpiryMillis;
  volatile boolean release;
  volatile boolean lost;
  volatile Thread thread;
  /** Set when a handler call timed out and a fresh runner took the partition over. */
  private volatile boolean abandoned;
  /** A timed-out attempt to record first, handed over by the runner that gave up on it. */
  private PendingFailure pending;
  /** Log positions up to here were in a failed batch: hand them over one at a time. */
  private volatile long singleUntil = -1;
  /**
   * Due keys before this one were promoted by this runner: looking for the next due event starts
   * here, not over the deleted entries. Null: from the start of the due range, as after every
   * {@link Signals#FALLBACK_POLL_MILLIS}, which also finds an event scheduled earlier by a
   * publisher whose clock is behind.
   */
  private byte[] dueFrom;
  private long dueRescanAtNanos = System.nanoTime();

  PartitionRunner(Worker worker, int partition, long epoch, long leaseExpiryMillis) {
    this.worker = worker;
    this.ctx = worker.ctx;
    this.keys = ctx.keys;
    this.topic = worker.topic;
    this.group = worker.group;
    this.options = worker.options;
    this.partition = partition;
    this.epoch = epoch;
    this.leaseExpiryMillis = leaseExpiryMillis;
  }

  private record PendingFailure(Item item, Event event, Throwable failure) {}

  private boolean running() {
    return !release && !lost && !abandoned && !worker.stopping();
  }

  /** Whether the lease, as last renewed by the worker's heartbeat, has not yet expired. */
  private boolean leaseHeld() {
    return ctx.nowMillis() < leaseExpiryMillis;
  }

  @Override
  public void run() {
    try {
      while (running()) {
        long token = ctx.signals.generation(topic, partition);
        long wait;
        try {
          wait = step();
        } catch (Fenced f) {
          log.info("lease lost {}", this);
          lost = true;
          break;
        } catch (ClosedException e) {
          break;
        } catch (RuntimeException e) {
          if (worker.crashed() || abandoned) {
            break;
          }
          log.warn("partition step failed, will retry {}", this, e);
          wait = options.pollInterval().toMillis();
        }
        if (wait > 0 && running()) {
          ctx.signals.await(topic, partition, token, wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!lost && !abandoned && !worker.crashed()) {
        releaseLease();
      }
      worker.exited(this);
    }
  }

  /** One round; returns how long to wait before the next (0: go on at once). */
  private long step() throws InterruptedException {
    long now = ctx.nowMillis();
    long poll = options.pollInterval().toMillis();
    if (now >= leaseExpiryMillis) {
      return Math.min(poll, Math.max(1, options.heartbeatInterval().toMillis() / 4));
    }
    PendingFailure p = pending;
    if (p != null) {
      commit(tx -> recordFailure(tx, owned(tx), p.item, p.event, p.failure));
      pending = null;
    }
    Instant nowInstant = ctx.clock.instant();
    if (System.nanoTime() - dueRescanAtNanos >= 0) {
      dueFrom = null;
      dueRescanAtNanos = System.nanoTime() + Signals.FALLBACK_POLL_MILLIS * 1_000_000;
    }
    Fetch f = ctx.tito.read(tx -> fetch(tx, nowInstant));
    if (f.state.epoch() != epoch) {
      throw new Fenced();
    }
    if (f.dueNow) {
      dueFrom = worker.publisher.promoteDue(topic, partition, options.fetchSize(), dueFrom, null);
      if (f.items.isEmpty()) {
        return 0;
      }
      // Go on with what was fetched (the promoted events come after it in the log): returning
      // here would starve handling for as long as events keep falling due.
    }
    Item head = f.items.isEmpty() ? null : f.items.get(0);
    if (head != null && head.attempts > 0 && head.retryAtMillis > now) {
      return Math.min(poll, head.retryAtMillis - now);
    }
    if (f.items.isEmpty()) {
      // Idle: wake-ups bring new work; while they are complete, wait for one without a timeout
      // (the worker's FallbackPoll wakes this partition if a lost wake-up hid work).
      long wait = ctx.signals.idleWaitMillis(poll);
      if (f.nextDue != null) {
        // From the time after the fetch, rounded up: waking early costs another empty round. At
        // most the poll interval, so that a clock that jumps (a test's) is noticed.
        long dueMillis = f.nextDue.toEpochMilli() + (f.nextDue.getNano() % 1_000_000 == 0 ? 0 : 1);
        wait = Math.min(poll, Math.max(1, dueMillis - ctx.nowMillis()));
      }
      return wait;
    }
    List<Item> items = f.items;
    int i = 0;
    // The lease is checked before every handler call, not once per fetch: a worker whose
    // heartbeat is late past its lease must not hand over the rest of its batch while another
    // worker may already have taken the partition (two handlers of one group in one partition).
    while (i < items.size() && running() && leaseHeld()) {
      if (worker.invoker.isBatch() && (i > 0 || head.attempts == 0)) {
        List<Event> batch = batchAt(items, i);
        if (batch.size() > 1) {
          if (!processBatch(items.subList(i, i + batch.size()), batch)) {
            return 0;
          }
          i += batch.size();
          continue;
        }
      }
      if (!process(items.get(i))) {
        break;
      }
      i++;
    }
    return 0;
  }

  /** The decodable log events from {@code i} on that have not been part of a failed batch. */
  private List<Event> batchAt(List<Item> items, int i) {
    List<Event> out = new ArrayList<>();
    for (int j = i; j < items.size(); j++) {
      Item item = items.get(j);
      if (item.redo || item.position <= singleUntil) {
        break;
      }
      try {
        out.add(EventCodec.decode(topic, partition, item.position, item.bytes));
      } catch (RuntimeException e) {
        break;
      }
    }
    return out;
  }

  /**
   * Hands a batch to the handler and commits the checkpoint past it. On failure nothing is
   * counted: its events go on one at a time, so the failing one is retried on its own.
   */
  private boolean processBatch(List<Item> items, List<Event> events) throws InterruptedException {
    worker.permits.acquire();
    if (!leaseHeld()) {
      worker.permits.release();
      return false;
    }
    HandlerCall call = HandlerCall.start(worker.permits, options.handlerTimeout(),
        () -> timedOut(items, events));
    try {
      Throwable failure;
      try {
        failure = invoke(items, events, call);
      } catch (Stale e) {
        return false;
      }
      if (failure == null) {
        return true;
      }
      if (worker.aborting()) {
        throw new ClosedException("worker aborted", java.util.Map.of());
      }
      singleUntil = items.get(items.size() - 1).position;
      log.debug("batch failed, handing its events over one at a time {}", this, failure);
      return false;
    } finally {
      call.finish();
      call.releasePermit();
    }
  }

  private Fetch fetch(Transaction tx, Instant now) {
    GroupState state = GroupState.decode(tx.get(keys.state(topic, group, partition)));
    List<Item> items = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(keys.redoRange(topic, group, partition),
        ScanOptions.FORWARD.withLimit(options.fetchSize()))) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        Redelivery r = Redelivery.decode(kv.value());
        items.add(new Item(true, keys.redoNumber(kv.key()), r.position(), r.bytes(), r.id(),
            r.attempts(), r.retryAtMillis()));
      }
    }
    if (items.isEmpty()) {
      for (Publisher.Stored s : worker.publisher.readStored(tx, topic, partition, state.checkpoint(),
          options.fetchSize())) {
        boolean atCheckpoint = s.position() == state.checkpoint();
        items.add(new Item(false, -1, s.position(), s.bytes(), null,
            atCheckpoint ? state.attempts() : 0, atCheckpoint ? state.retryAtMillis() : 0));
      }
    }
    Instant nextDue = worker.publisher.nextDue(tx, topic, partition, dueFrom);
    boolean dueNow = nextDue != null && !nextDue.isAfter(now);
    return new Fetch(state, items, dueNow, nextDue);
  }

  /** Handles one item and commits the outcome; returns false if it failed (retry later). */
  private boolean process(Item item) throws InterruptedException {
    Event event;
    try {
      event = EventCodec.decode(topic, partition, item.position, item.bytes);
    } catch (RuntimeException e) {
      log.warn("undecodable event dead-lettered {} position={}", this, item.position, e);
      UUID id = item.redo ? item.redoId : Ids.forPosition(topic, partition, item.position);
      commit(tx -> deadLetter(tx, owned(tx), item, id, "undecodable event: " + e, 0));
      return true;
    }
    worker.permits.acquire();
    if (!leaseHeld()) {
      worker.permits.release();
      return false;
    }
    HandlerCall call = HandlerCall.start(worker.permits, options.handlerTimeout(),
        () -> timedOut(List.of(item), List.of(event)));
    try {
      Throwable failure;
      try {
        failure = invoke(List.of(item), List.of(event), call);
      } catch (Stale e) {
        return false;
      }
      if (failure == null) {
        return true;
      }
      if (worker.aborting()) {
        throw new ClosedException("worker aborted", java.util.Map.of());
      }
      commit(tx -> recordFailure(tx, owned(tx), item, event, failure));
      return false;
    } finally {
      call.finish();
      call.releasePermit();
    }
  }

  /**
   * Runs the handler on the items, timed by {@code call}, and for a transactional handler commits
   * its writes with the progress. Returns the handler's failure (null if none), which counts as an
   * attempt: what it threw, or a {@link TimeoutException}. Throws what is not the handler's
   * failure: the store's or the commit's (conflicts past the retry budget, storage down, an
   * unknown outcome, fencing), so that the step fails and is retried after a pause without
   * counting; or {@link Stale} if the items were consumed meanwhile or a fresh runner took over.
   */
  private Throwable invoke(List<Item> items, List<Event> events, HandlerCall call) {
    Invoker h = worker.invoker;
    Throwable failure = null;
    if (!h.isTransactional()) {
      try {
        h.handle(null, events);
      } catch (OutOfMemoryError e) {
        throw e;
      } catch (Throwable e) {
        // Errors too (AssertionError, StackOverflowError, NoClassDefFoundError...): counted like
        // exceptions, or the same event would be retried forever without counting.
        failure = e;
      }
      if (!call.finish()) {
        return timedOutOrStop(call);
      }
      if (failure == null) {
        commit(tx -> advance(tx, owned(tx), items));
      }
      return failure;
    }
    try {
      commit(tx -> {
        if (call.abandoned()) {
          throw new Stale();
        }
        GroupState s = owned(tx);
        requireUnconsumed(tx, s, items.get(0));
        try {
          h.handle(tx, events);
        } catch (OutOfMemoryError e) {
          throw e;
        } catch (TitoException e) {
          if (isStoreFailure(e)) {
            throw e;
          }
          throw new HandlerFailure(e);
        } catch (Throwable e) {
          throw new HandlerFailure(e);
        }
        if (call.abandoned()) {
          throw new Stale();
        }
        advance(tx, s, items);
      });
    } catch (HandlerFailure e) {
      failure = e.getCause();
    } catch (RuntimeException e) {
      if (call.finish()) {
        throw e;
      }
    }
    if (!call.finish()) {
      return timedOutOrStop(call);
    }
    return failure;
  }

  /**
   * After the timeout gave up on a call: stops this runner if a fresh one took the partition over,
   * else (the worker is stopping or lost the partition) reports the timeout as the failure.
   */
  private Throwable timedOutOrStop(HandlerCall call) {
    if (call.handedOver()) {
      abandoned = true;
      throw new Stale();
    }
    return timeout();
  }

  private TimeoutException timeout() {
    return new TimeoutException("handler did not finish within the handler timeout of "
        + options.handlerTimeout() + "; it was interrupted");
  }

  /**
   * On the timer thread, when a handler call outlived the handler timeout: hands the partition to
   * a fresh runner of the same lease, which records the failed attempt (or, for a batch, goes on
   * one event at a time), and interrupts the handler. This runner stops once the handler returns.
   */
  private boolean timedOut(List<Item> items, List<Event> events) {
    log.warn("handler timed out after {}; interrupting it, the partition goes on {}",
        options.handlerTimeout(), this);
    PartitionRunner fresh = new PartitionRunner(worker, partition, epoch, leaseExpiryMillis);
    fresh.singleUntil = singleUntil;
    if (items.size() > 1) {
      fresh.singleUntil = Math.max(singleUntil, items.get(items.size() - 1).position);
    } else {
      fresh.pending = new PendingFailure(items.get(0), events.get(0), timeout());
    }
    boolean over = worker.replace(this, fresh);
    if (over) {
      abandoned = true;
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    return over;
  }

  /** Throws {@link Stale} unless {@code first} is still the next item to consume. */
  private void requireUnconsumed(Transaction tx, GroupState s, Item first) {
    if (first.redo) {
      byte[] v = tx.get(keys.redo(topic, group, partition, first.redoNumber));
      if (v == null || !Redelivery.decode(v).id().equals(first.redoId)) {
        throw new Stale();
      }
    } else if (s.checkpoint() > first.position) {
      throw new Stale();
    }
  }

  /**
   * Whether an exception out of a transactional handler is the store's rather than the handler's:
   * one the transaction runner retries (a conflict, storage unavailable), or the store closing.
   */
  private static boolean isStoreFailure(TitoException e) {
    return e.isRetriable() || e instanceof ClosedException || e instanceof CommitUnknownException;
  }

  private void commit(java.util.function.Consumer<Transaction> work) {
    if (worker.crashed()) {
      throw new ClosedException("worker crashed", java.util.Map.of());
    }
    ctx.tito.inTransaction(work::accept);
  }

  /** Re-reads lease and state; throws {@link Fenced} unless this runner still owns the partition. */
  private GroupState owned(Transaction tx) {
    byte[] sv = tx.get(keys.state(topic, group, partition));
    Lease lease = Lease.decode(tx.get(keys.lease(topic, group, partition)));
    if (sv == null || !worker.workerId().equals(lease.owner()) || lease.epoch() != epoch) {
      throw new Fenced();
    }
    GroupState s = GroupState.decode(sv);
    if (s.epoch() != epoch) {
      throw new Fenced();
    }
    return s;
  }

  private void advance(Transaction tx, GroupState s, List<Item> items) {
    Item item = items.get(items.size() - 1);
    if (item.redo) {
      tx.clear(keys.redo(topic, group, partition, item.redoNumber));
      // Unchanged (the log event at the checkpoint keeps its count), but written: fencing.
      tx.set(keys.state(topic, group, partition), s.encode());
    } else {
      tx.set(keys.state(topic, group, partition),
          s.advancedTo(Math.max(s.checkpoint(), item.position + 1)).encode());
    }
  }

  private void deadLetter(Transaction tx, GroupState s, Item item, UUID id, String error, int attempts) {
    worker.deadLetters.write(tx, topic, group, partition, item.position, id, item.bytes, error, attempts);
    advance(tx, s, List.of(item));
  }

  /**
   * Counts a failed attempt of {@code item}, in its own counter: the redelivery entry's, or the
   * group state's for the log event at the checkpoint. Does nothing if the item was consumed
   * meanwhile.
   */
  private void recordFailure(Transaction tx, GroupState s, Item item, Event event, Throwable failure) {
    String error = String.valueOf(failure);
    Redelivery redo = null;
    int attempts;
    if (item.redo) {
      byte[] v = tx.get(keys.redo(topic, group, partition, item.redoNumber));
      redo = v == null ? null : Redelivery.decode(v);
      if (redo == null || !redo.id().equals(item.redoId)) {
        return;
      }
      attempts = redo.attempts() + 1;
    } else {
      if (s.checkpoint() != item.position) {
        return;
      }
      attempts = s.attempts() + 1;
    }
    if (attempts >= options.maxAttempts()) {
      log.warn("event dead-lettered after {} attempts {} {}", attempts, this, event, failure);
      deadLetter(tx, s, item, event.id(), error, attempts);
      return;
    }
    log.debug("handler failed, attempt {} {} {}", attempts, this, event, failure);
    long retryAt = ctx.nowMillis() + backoffMillis(attempts);
    if (redo != null) {
      tx.set(keys.redo(topic, group, partition, item.redoNumber), redo.failed(retryAt, error).encode());
      tx.set(keys.state(topic, group, partition), s.encode());
    } else {
      tx.set(keys.state(topic, group, partition), s.failed(retryAt, error).encode());
    }
  }

  /** Exponential backoff after the {@code attempts}-th failure, jittered into [d/2, d]. */
  private long backoffMillis(int attempts) {
    long initial = options.initialBackoff().toMillis();
    long max = options.maxBackoff().toMillis();
    long d = attempts >= 31 ? max : Math.min(max, initial << (attempts - 1));
    d = Math.max(1, d);
    return d / 2 + ThreadLocalRandom.current().nextLong(d - d / 2 + 1);
  }

  private void releaseLease() {
    try {
      ctx.tito.inTransaction(tx -> {
        byte[] key = keys.lease(topic, group, partition);
        Lease l = Lease.decode(tx.get(key));
        if (worker.workerId().equals(l.owner()) && l.epoch() == epoch) {
          tx.set(key, new Lease(null, epoch, 0).encode());
        }
      });
    } catch (RuntimeException e) {
      log.warn("could not release lease {}; it will expire", this, e);
    }
  }

  @Override
  public String toString() {
    return "[topic=" + topic + " group=" + group + " partition=" + partition + " epoch=" + epoch
        + " worker=" + worker.workerId() + "]";
  }
}
