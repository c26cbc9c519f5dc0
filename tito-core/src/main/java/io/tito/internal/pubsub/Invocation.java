package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.CommitUnknownException;
import io.tito.TitoException;
import io.tito.Transaction;
import io.tito.pubsub.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a subscription's handler on items under a {@link HandlerCall} and, when it succeeds,
 * commits their checkpoint in a fenced transaction: after the call for a plain handler, in the
 * same transaction as the handler's writes for a transactional one. Tells the handler's failures
 * (which count as attempts) from the store's (which do not). Holds no mutable state.
 */
final class Invocation {

  /** Wraps a handler's failure so the transaction runner rethrows it untouched. */
  private static final class HandlerFailure extends RuntimeException {
    HandlerFailure(Throwable cause) {
      super(cause);
    }
  }

  private final Invoker invoker;
  private final PartitionLease lease;
  private final Checkpoints checkpoints;
  private final Consumer<Consumer<Transaction>> commit;
  private final Duration handlerTimeout;

  /**
   * @param commit runs a transaction that writes progress (refusing once the worker crashed)
   */
  Invocation(Invoker invoker, PartitionLease lease, Checkpoints checkpoints,
      Consumer<Consumer<Transaction>> commit, Duration handlerTimeout) {
    this.invoker = invoker;
    this.lease = lease;
    this.checkpoints = checkpoints;
    this.commit = commit;
    this.handlerTimeout = handlerTimeout;
  }

  boolean isBatch() {
    return invoker.isBatch();
  }

  /**
   * Whether the caller may leave the checkpoint commit of a successful call to itself ({@link
   * #invokeDeferred}): a plain per-event handler; a transactional one commits its progress with
   * its writes, a batch one per batch.
   */
  boolean defersCheckpoint() {
    return !invoker.isTransactional() && !invoker.isBatch();
  }

  /**
   * Whether a successful call may leave its checkpoint to the caller ({@link #invokeDeferred})
   * when asked to: any handler that does not commit its progress with its own writes (a batch
   * handler's checkpoint then joins the next transaction the runner commits anyway).
   */
  boolean canDeferCheckpoint() {
    return !invoker.isTransactional();
  }

  /**
   * Runs the handler on the items, timed by {@code call}, and for a transactional handler commits
   * its writes with the progress. Returns the handler's failure (null if none), which counts as an
   * attempt: what it threw, or a {@link TimeoutException}. Throws what is not the handler's
   * failure: the store's or the commit's (conflicts past the retry budget, storage down, an
   * unknown outcome, {@link Fenced}), so that the step fails and is retried after a pause without
   * counting; or {@link Stale} if the items were consumed meanwhile or a fresh runner took over.
   */
  Throwable invoke(List<Item> items, List<Event> events, HandlerCall call) {
    if (!invoker.isTransactional()) {
      return invokePlain(items, events, call);
    }
    Throwable failure = null;
    try {
      commit.accept(tx -> {
        if (call.abandoned()) {
          throw new Stale(false);
        }
        GroupState s = lease.fence(tx);
        checkpoints.requireUnconsumed(tx, s, items.get(0));
        try {
          invoker.handle(tx, events);
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
          throw new Stale(false);
        }
        checkpoints.advance(tx, s, items);
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
   * Like {@link #invoke} for a handler that {@linkplain #defersCheckpoint defers its checkpoint},
   * without committing it: on success (null) the caller owes the items' checkpoint.
   */
  Throwable invokeDeferred(List<Item> items, List<Event> events, HandlerCall call) {
    return invokePlain(items, events, call, false);
  }

  private Throwable invokePlain(List<Item> items, List<Event> events, HandlerCall call) {
    return invokePlain(items, events, call, true);
  }

  private Throwable invokePlain(List<Item> items, List<Event> events, HandlerCall call,
      boolean checkpoint) {
    Throwable failure = null;
    try {
      invoker.handle(null, events);
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
    if (failure == null && checkpoint) {
      commit.accept(tx -> checkpoints.advance(tx, lease.fence(tx), items));
    }
    return failure;
  }

  /**
   * After the timeout gave up on a call: a {@link Stale} that says a fresh runner took the
   * partition over, else (the worker is stopping or lost the partition) the timeout as the failure.
   */
  private Throwable timedOutOrStop(HandlerCall call) {
    if (call.handedOver()) {
      throw new Stale(true);
    }
    return timeout();
  }

  /** The failure recorded for a handler call given up on. */
  TimeoutException timeout() {
    return new TimeoutException("handler did not finish within the handler timeout of "
        + handlerTimeout + "; it was interrupted");
  }

  /**
   * Whether an exception out of a transactional handler is the store's rather than the handler's:
   * one the transaction runner retries (a conflict, storage unavailable), or the store closing.
   */
  private static boolean isStoreFailure(TitoException e) {
    return e.isRetriable() || e instanceof ClosedException || e instanceof CommitUnknownException;
  }
}
