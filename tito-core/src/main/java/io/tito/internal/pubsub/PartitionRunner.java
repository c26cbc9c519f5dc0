package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.CommitUnknownException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.pubsub.SubscribeOptions;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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

  private record Item(boolean redo, long redoNumber, long position, byte[] bytes, UUID redoId) {}

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
  /** Log positions up to here were in a failed batch: hand them over one at a time. */
  private long singleUntil = -1;
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

  private boolean running() {
    return !release && !lost && !worker.stopping();
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
          if (worker.crashed()) {
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
      if (!lost && !worker.crashed()) {
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
    if (f.state.attempts() > 0 && f.state.retryAtMillis() > now) {
      return Math.min(poll, f.state.retryAtMillis() - now);
    }
    if (f.items.isEmpty()) {
      // Idle: wake-ups bring new work; while they are complete, poll only rarely.
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
    while (i < items.size() && running()) {
      if (worker.invoker.isBatch() && (i > 0 || f.state.attempts() == 0)) {
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
    try {
      Throwable failure = invoke(items, events);
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
      worker.permits.release();
    }
  }

  private Fetch fetch(Transaction tx, Instant now) {
    GroupState state = GroupState.decode(tx.get(keys.state(topic, group, partition)));
    List<Item> items = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(keys.redoRange(topic, group, partition),
        ScanOptions.FORWARD.withLimit(options.fetchSize()))) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        Tuple t = Tuple.unpack(kv.value());
        items.add(new Item(true, keys.redoNumber(kv.key()), t.getLong(0), t.getBytes(1), t.getUuid(2)));
      }
    }
    if (items.isEmpty()) {
      for (Publisher.Stored s : worker.publisher.readStored(tx, topic, partition, state.checkpoint(),
          options.fetchSize())) {
        items.add(new Item(false, -1, s.position(), s.bytes(), null));
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
    try {
      Throwable failure = invoke(List.of(item), List.of(event));
      if (failure == null) {
        return true;
      }
      if (worker.aborting()) {
        throw new ClosedException("worker aborted", java.util.Map.of());
      }
      commit(tx -> recordFailure(tx, owned(tx), item, event, failure));
      return false;
    } finally {
      worker.permits.release();
    }
  }

  private Throwable invoke(List<Item> items, List<Event> events) {
    Invoker h = worker.invoker;
    if (h.isTransactional()) {
      try {
        commit(tx -> {
          GroupState s = owned(tx);
          try {
            h.handle(tx, events);
          } catch (Exception e) {
            throw new HandlerFailure(e);
          }
          advance(tx, s, items);
        });
        return null;
      } catch (HandlerFailure e) {
        return e.getCause();
      } catch (Fenced | ClosedException | CommitUnknownException e) {
        // An unknown outcome is not the handler's failure: look at the state again.
        throw e;
      } catch (RuntimeException e) {
        return e;
      }
    }
    try {
      h.handle(null, events);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return e;
    }
    commit(tx -> advance(tx, owned(tx), items));
    return null;
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
      tx.set(keys.state(topic, group, partition), s.cleared().encode());
    } else {
      tx.set(keys.state(topic, group, partition),
          s.advancedTo(Math.max(s.checkpoint(), item.position + 1)).encode());
    }
  }

  private void deadLetter(Transaction tx, GroupState s, Item item, UUID id, String error, int attempts) {
    worker.deadLetters.write(tx, topic, group, partition, item.position, id, item.bytes, error, attempts);
    advance(tx, s, List.of(item));
  }

  private void recordFailure(Transaction tx, GroupState s, Item item, Event event, Throwable failure) {
    String error = String.valueOf(failure);
    int attempts = s.attempts() + 1;
    if (attempts >= options.maxAttempts()) {
      log.warn("event dead-lettered after {} attempts {} {}", attempts, this, event, failure);
      deadLetter(tx, s, item, event.id(), error, attempts);
      return;
    }
    log.debug("handler failed, attempt {} {} {}", attempts, this, event, failure);
    tx.set(keys.state(topic, group, partition),
        s.failed(ctx.nowMillis() + backoffMillis(attempts), error).encode());
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
