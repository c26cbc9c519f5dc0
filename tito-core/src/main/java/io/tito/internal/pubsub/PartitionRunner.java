package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.pubsub.Event;
import io.tito.pubsub.SubscribeOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one partition for one group while its worker holds the {@link PartitionLease}: the
 * loop "release what fell due, fetch from the {@link Source}, check the epoch, hand items to the
 * handler (in batches by the {@link Batcher}) through the {@link Invocation}, which saves the {@link Checkpoints} (a plain
 * per-event handler's successes are gathered in a {@link CheckpointRun} and checkpointed together);
 * count failures, retry or dead-letter through {@link Failures}". Runs on its own thread ({@link
 * RunnerThreads}); stops when asked to release, when the worker stops, when fenced, or when a
 * fresh runner took over from it after its handler timed out. Its own state (thread, abandoned,
 * the pending failure) is written only by itself, except that the handler-timeout timer marks it
 * abandoned.
 */
final class PartitionRunner implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PartitionRunner.class);

  /**
   * A timed-out attempt to record first, handed over by the runner that gave up on it, with the
   * items that runner handled before it and had not checkpointed yet (checkpointed first).
   */
  private record PendingFailure(Item item, Event event, Throwable failure, List<Item> handled) {}

  private final Worker worker;
  private final Context ctx;
  private final SubscribeOptions options;
  private final PartitionLease lease;
  private final Source source;
  private final Batcher batcher;
  private final Checkpoints checkpoints;
  private final Failures failures;
  private final Invocation invocation;
  private final CheckpointRun run;
  private final HandlerTimer timer = HandlerTimer.shared();
  private volatile Thread thread;
  /** Set when a handler call timed out and a fresh runner took the partition over. */
  private volatile boolean abandoned;
  private PendingFailure pending;
  /**
   * Set when the last step left the partition idle: the wake-up generation taken before its fetch
   * and when its idle wait ends ({@code Long.MAX_VALUE}: at a wake-up), so that a wait cut short
   * only to commit a run's checkpoint goes on without a fetch that could find nothing new.
   */
  private boolean idle;
  private long idleToken;
  private long idleUntilNanos;
  /**
   * The earliest due time of a scheduled event the last fetch found (null: none): once it has
   * come, the next step releases due events before its fetch.
   */
  private Instant dueAt;
  /**
   * Whether the last fetch found scheduled events due: the next step releases them before its
   * fetch, and a batch handler's checkpoint waits for that release's transaction.
   */
  private boolean releaseNext;
  /** Whether this runner reads a topic's log, whose local publishes it can take over. */
  private final boolean followsPublishes;
  /** The wait mark, the position expected next and the gap awaited ({@link #takeHandOffs}). */
  private final HandOverState handOver;

  private PartitionRunner(Worker worker, PartitionLease lease, Batcher batcher, PendingFailure pending) {
    this.worker = worker;
    this.ctx = worker.ctx;
    this.options = worker.options;
    this.lease = lease;
    this.batcher = batcher;
    this.pending = pending;
    int p = lease.partition();
    this.source = new PartitionSource(ctx, worker.publisher, worker.topic, worker.group, p,
        options.fetchSize(), worker.logReader);
    this.checkpoints = new Checkpoints(ctx.keys, worker.topic, worker.group, p);
    this.failures = new Failures(options.maxAttempts(), options.backoff(), ctx::nowMillis,
        worker.deadLetters, checkpoints, worker.topic, worker.group, p);
    this.invocation = new Invocation(worker.invoker, lease, checkpoints, worker::commit,
        options.handlerTimeout());
    this.run = new CheckpointRun(options.checkpointEvery(), options.checkpointDelay().toNanos(),
        System::nanoTime);
    this.followsPublishes = source.hasScheduled();
    this.handOver = new HandOverState(ctx.signals, worker.topic, p, options.fetchSize());
  }

  /** A runner for a freshly acquired lease; not yet started. */
  static PartitionRunner of(Worker worker, PartitionLease lease) {
    return new PartitionRunner(worker, lease, new Batcher(worker.topic, lease.partition(), -1), null);
  }

  int partition() {
    return lease.partition();
  }

  PartitionLease lease() {
    return lease;
  }

  /**
   * Starts the runner's thread ({@link RunnerThreads}: a platform thread while the process's cap
   * allows, else a virtual one). The thread is published before it starts, so that an {@link
   * #interrupt()} from another thread (a crash or an aborting close) can never miss a runner that
   * already runs.
   */
  void start() {
    Thread t = RunnerThreads.PROCESS.unstarted(
        "tito-partition-" + worker.topic + "-" + worker.group + "-" + partition(), this);
    try {
      startPublished(t, x -> thread = x);
    } catch (RuntimeException | Error e) {
      RunnerThreads.PROCESS.notStarted(t);
      throw e;
    }
  }

  /** Hands the unstarted {@code t} to {@code publish}, then starts it. */
  static void startPublished(Thread t, Consumer<Thread> publish) {
    publish.accept(t);
    t.start();
  }

  /** Interrupts the runner's thread (a handler in it included). */
  void interrupt() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Waits for the runner's thread to end until {@code deadlineNanos}; whether it ended. */
  boolean join(long deadlineNanos) {
    Thread t = thread;
    return t == null || Worker.join(t, deadlineNanos);
  }

  private boolean running() {
    return !lease.releaseAsked() && !lease.lost() && !abandoned && !worker.stopping();
  }

  @Override
  public void run() {
    String topic = worker.topic;
    int partition = partition();
    if (followsPublishes) {
      ctx.signals.follow(topic, partition);
    }
    try {
      while (running()) {
        long token = handOver.waitFrom(ctx.signals.mark(topic, partition));
        long wait;
        try {
          wait = step(token);
        } catch (Fenced f) {
          handOver.forget();
          log.info("lease lost {}", lease);
          lease.markLost();
          run.clear();
          break;
        } catch (ClosedException e) {
          run.clear();
          break;
        } catch (RuntimeException e) {
          // Not checkpointed: the next fetch reads from the checkpoint and delivers them again.
          run.clear();
          if (worker.crashed() || abandoned) {
            break;
          }
          handOver.forget();
          log.warn("partition step failed, will retry {}", lease, e);
          wait = options.pollInterval().toMillis();
        }
        if (wait > 0 && running()) {
          ctx.signals.await(topic, partition, handOver.waitToken(), wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (followsPublishes) {
        ctx.signals.unfollow(topic, partition);
      }
      if (!lease.lost() && !abandoned && !worker.crashed()) {
        commitRunOnExit();
      }
      if (!lease.lost() && !abandoned && !worker.crashed()) {
        lease.release();
      }
      worker.exited(this);
    }
  }

  /**
   * One round; returns how long to wait before the next (0: go on at once). {@code token}: the
   * wake-up generation taken before it.
   */
  private long step(long token) throws InterruptedException {
    long now = ctx.nowMillis();
    long poll = options.pollInterval().toMillis();
    if (now >= lease.expiryMillis()) {
      return Math.min(poll, Math.max(1, options.heartbeatInterval().toMillis() / 4));
    }
    Instant due = dueAt;
    boolean release = due != null && !due.isAfter(ctx.clock.instant());
    if (run.full() && !release) {
      commitRun();
      Long left = idleLeft(token);
      if (left != null) {
        return left;
      }
    }
    idle = false;
    PendingFailure p = pending;
    if (p != null) {
      if (!p.handled.isEmpty()) {
        worker.commit(tx -> checkpoints.advanceRun(tx, lease.fence(tx), p.handled));
        pending = new PendingFailure(p.item, p.event, p.failure, List.of());
      }
      worker.commit(tx -> failures.record(tx, lease.fence(tx), p.item, p.event, p.failure));
      pending = null;
    }
    long expected = handOver.startStep();
    Source.Fetch f = null;
    if (release) {
      // Release before the fetch, so that this fetch reads what fell due: a due event waits for
      // one release and one fetch, not also for a fetch that only finds it due and a round of
      // handling what that fetch read (which a release after the fetch cost).
      Signals.Mark before = ctx.signals.mark(worker.topic, partition());
      if (expected >= 0 && before.generation() == handOver.expectToken() && source.hasScheduled()) {
        // Nothing signalled since the last read but this runner's releases: the events this
        // release moves are the next items if they start where that read ended.
        f = releaseAndRead(expected);
        if (f != null) {
          Signals.Mark after = ctx.signals.mark(worker.topic, partition());
          // Only this release's own wake-up since: the wait after this step may ignore it.
          handOver.waitFrom(after.generation() == before.generation() + 1 ? after : before);
        }
      } else {
        releaseDue();
      }
    }
    long from;
    if (f == null && !release && expected >= 0 && followsPublishes) {
      f = takeHandOffs(expected);
    }
    if (f == null) {
      long handledUntil = run.handledUntil();
      handOver.waitFrom(ctx.signals.mark(worker.topic, partition()));
      f = source.fetch(ctx.clock.instant(), handledUntil);
      from = Math.max(f.state().checkpoint(), handledUntil);
    } else {
      from = expected;
    }
    if (f.state().epoch() != lease.epoch()) {
      throw new Fenced();
    }
    dueAt = f.nextDue();
    releaseNext = f.dueNow();
    if (f.dueNow() && f.items().isEmpty()) {
      if (f.drained()) {
        handOver.expect(from);
      }
      return 0;
    }
    // With events due, go on with what was fetched and release at the next step, before its
    // fetch: returning here would starve handling for as long as events keep falling due.
    List<Item> items = f.items();
    Item head = items.isEmpty() ? null : items.get(0);
    if (head != null && head.attempts() > 0 && head.retryAtMillis() > now) {
      return run.boundWait(Math.min(poll, head.retryAtMillis() - now));
    }
    if (items.isEmpty()) {
      if (f.drained()) {
        handOver.expect(from);
      }
      return idleFor(idleWait(f, poll), handOver.waitToken());
    }
    int i = 0;
    // The lease is checked before every handler call, not once per fetch: a worker whose
    // heartbeat is late past its lease must not hand over the rest of its batch while another
    // worker may already have taken the partition (two handlers of one group in one partition).
    while (i < items.size() && running() && lease.held()) {
      if (invocation.isBatch() && (i > 0 || head.attempts() == 0)) {
        List<Event> batch = batcher.batchAt(items, i, options.fetchSize());
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
    // A run of log events stays open across fetches until full (the next fetch reads past it);
    // one holding a requeued entry is committed now, or the next fetch would find that again.
    // With events due, the next step (at once) commits the run with its release instead.
    if ((run.full() && !releaseNext) || run.hasRequeued() || !running() || !lease.held()) {
      commitRun();
    }
    if (f.drained() && i == items.size() && running() && lease.held() && !abandoned
        && items.stream().noneMatch(Item::requeued)) {
      handOver.expect(items.get(i - 1).position() + 1);
    }
    // One fetch per batch: a fetch that found everything there was, all handled, leaves the
    // partition as idle as an empty fetch would find it. Wake-ups since the generation taken
    // before that fetch end the wait at once (its snapshot holds every commit before them).
    return f.drained() && !f.dueNow() && i == items.size()
        ? idleFor(idleWait(f, poll), handOver.waitToken()) : 0;
  }

  /**
   * The events local commits published to this partition from log position {@code expected} on,
   * as a fetch would have read them, if the last step read and handled everything before it and
   * nothing but local publishes woke the partition since ({@link HandOverState#take}); else null
   * (fetch). Nothing is read: the epoch is the lease's (a group reset or deletion wakes the
   * partition, so the next step fetches, and the run's commit is fenced in any case), the first
   * item has no attempts (everything before it was handled, and it was never handed out), and the
   * next due time is the last fetch's (a scheduled publish wakes the partition). Drained when
   * nothing was kept past the events taken, or when the runner waits for a gap's wake-up.
   */
  private Source.Fetch takeHandOffs(long expected) {
    HandOverState.Taken t = handOver.take(expected);
    if (t == null) {
      return null;
    }
    List<Item> items = new ArrayList<>(t.events().size());
    long position = expected;
    for (byte[] bytes : t.events()) {
      items.add(Item.ofLog(position++, bytes, 0, 0));
    }
    source.handedOver(position);
    GroupState state = new GroupState(expected, 0, lease.epoch(), 0, null);
    return new Source.Fetch(state, items, false, dueAt, !t.more() || t.awaitGap());
  }

  /** Records that the partition is idle from the fetch after {@code token} on for {@code waitMillis}; the wait, cut short for an open run. */
  private long idleFor(long waitMillis, long token) {
    idle = true;
    idleToken = token;
    idleUntilNanos = waitMillis == Signals.UNTIL_WOKEN ? Long.MAX_VALUE
        : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    return run.boundWait(waitMillis);
  }

  /**
   * After a run was committed in an idle partition: the rest of its idle wait, if nothing woke it
   * since the fetch that found it idle (that fetch's snapshot holds every commit before the
   * token it was taken after) and the wait has not run out; else null (fetch).
   */
  private Long idleLeft(long token) {
    if (!idle || token != idleToken) {
      return null;
    }
    if (idleUntilNanos == Long.MAX_VALUE) {
      return Signals.UNTIL_WOKEN;
    }
    long leftNanos = idleUntilNanos - System.nanoTime();
    return leftNanos <= 0 ? null : Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos + 999_999));
  }

  /** How long an idle partition waits: for a wake-up, or until its next scheduled event is due. */
  private long idleWait(Source.Fetch f, long poll) {
    // Wake-ups bring new work; while they are complete, wait for one without a timeout (the
    // worker's FallbackPoll wakes this partition if a lost wake-up hid work).
    long wait = ctx.signals.idleWaitMillis(poll);
    if (handOver.awaitingGap()) {
      // Then fetch, if the gap's wake-up did not come.
      wait = Math.min(wait, HandOverState.GAP_WAIT_MILLIS);
    }
    if (f.nextDue() != null) {
      // From the time after the fetch, rounded up: waking early costs another empty round. At
      // most the poll interval, so that a clock that jumps (a test's) is noticed.
      long dueMillis = f.nextDue().toEpochMilli() + (f.nextDue().getNano() % 1_000_000 == 0 ? 0 : 1);
      wait = Math.min(poll, Math.max(1, dueMillis - ctx.nowMillis()));
    }
    return wait;
  }

  /**
   * Hands a batch to the handler and commits the checkpoint past it (with events due: adds it to
   * the run, which the next step's release commits). On failure nothing is counted: its events go
   * on one at a time, so the failing one is retried on its own.
   */
  private boolean processBatch(List<Item> items, List<Event> events) throws InterruptedException {
    // With events due, the batch's checkpoint joins the release's transaction at the next step:
    // one commit per round instead of two (a crash before it delivers the batch again, as a
    // crash between the handler and its own checkpoint commit would).
    boolean defer = invocation.defersCheckpoint() || releaseSoon();
    Throwable failure = call(items, events, defer);
    if (failure == null) {
      if (defer) {
        for (Item item : items) {
          run.add(item);
        }
      }
      return true;
    }
    if (failure != STALE) {
      batcher.failed(items);
      log.debug("batch failed, handing its events over one at a time {}", lease, failure);
    }
    return false;
  }

  /**
   * Handles one item and commits the outcome (for a handler that defers its checkpoint, a success
   * joins the run, committed once full); returns false if it failed (retry later). Whatever is
   * recorded about an item (a failure, a dead letter) is committed after the run before it.
   */
  private boolean process(Item item) throws InterruptedException {
    Event event;
    try {
      event = EventCodec.decode(worker.topic, partition(), item.position(), item.bytes());
    } catch (RuntimeException e) {
      log.warn("undecodable event dead-lettered {} position={}", lease, item.position(), e);
      commitRun();
      worker.commit(tx -> failures.undecodable(tx, lease.fence(tx), item, e));
      return true;
    }
    boolean defer = invocation.defersCheckpoint() || (item.attempts() == 0 && releaseSoon());
    Throwable failure = call(List.of(item), List.of(event), defer);
    if (failure == null) {
      if (defer) {
        run.add(item);
        if (run.full()) {
          commitRun();
        }
      }
      return true;
    }
    if (failure != STALE) {
      commitRun();
      worker.commit(tx -> failures.record(tx, lease.fence(tx), item, event, failure));
    }
    return false;
  }

  /**
   * Whether a handler that commits its own checkpoint (a batch handler's, not a transactional one)
   * may leave it to the next release's transaction: events are due now, or the next falls due
   * before the run's checkpoint delay runs out (the run is committed by then in any case). One
   * write commit per round instead of two while scheduled events keep falling due.
   */
  private boolean releaseSoon() {
    if (!invocation.canDeferCheckpoint()) {
      return false;
    }
    if (releaseNext) {
      return true;
    }
    Instant due = dueAt;
    return due != null && due.toEpochMilli() - ctx.nowMillis() < options.checkpointDelay().toMillis();
  }

  /**
   * When the runner stops while holding its lease (released, moved, the worker stopping): the
   * open run is committed, so that the next owner does not deliver it again. A failure leaves it
   * to be delivered again; a lease found lost is marked so (and not released).
   */
  private void commitRunOnExit() {
    try {
      commitRun();
    } catch (Fenced f) {
      lease.markLost();
    } catch (RuntimeException e) {
      log.warn("checkpoint of the handled events not committed, they will be delivered again {}",
          lease, e);
    }
  }

  /**
   * Commits the checkpoint of the run of handled items, in one fenced transaction (a lost lease
   * commits nothing: {@link Fenced}). A runner that handed its partition over commits nothing
   * (the fresh runner checkpoints the run). The run is forgotten even if the commit fails: its
   * items are then delivered again.
   */
  private void commitRun() {
    if (run.isEmpty()) {
      return;
    }
    List<Item> items = run.snapshot();
    run.clear();
    if (abandoned || lease.lost()) {
      return;
    }
    worker.commit(tx -> checkpoints.advanceRun(tx, lease.fence(tx), items));
  }

  /**
   * Releases due scheduled events like {@link #releaseDue()}, fenced (always: its events may be
   * handed over without a fetch, whose epoch check this replaces), and returns them as the next
   * items if they start at {@code expected} ({@link Source#releaseAndRead}), else null.
   */
  private Source.Fetch releaseAndRead(long expected) {
    List<Item> items = run.isEmpty() || abandoned || lease.lost() ? List.of() : run.snapshot();
    run.clear();
    if (worker.crashed()) {
      throw new ClosedException("worker crashed", Map.of());
    }
    return source.releaseAndRead(new StartReads<>(lease.fenceKeys(), (tx, values) -> {
      GroupState s = lease.fence(values);
      return items.isEmpty() ? s : checkpoints.advanceRun(tx, s, items);
    }), expected);
  }

  /**
   * Releases due scheduled events ({@link Source#releaseDue}) and commits the run of handled
   * items in the same transaction, fenced like {@link #commitRun} (a lost lease commits neither).
   * The run is forgotten even if the commit fails: its items are then delivered again.
   */
  private void releaseDue() {
    List<Item> items = run.isEmpty() || abandoned || lease.lost() ? List.of() : run.snapshot();
    run.clear();
    if (items.isEmpty()) {
      source.releaseDue();
      return;
    }
    if (worker.crashed()) {
      throw new ClosedException("worker crashed", Map.of());
    }
    source.releaseDue(new StartReads<>(lease.fenceKeys(),
        (tx, values) -> checkpoints.advanceRun(tx, lease.fence(values), items)));
  }

  /** What {@link #call} returns when there is nothing to record: the items went stale or the lease lapsed. */
  private static final Throwable STALE = new Throwable("stale", null, false, false) {};

  /**
   * One handler call on a concurrency permit, under the handler timeout: null if it succeeded and
   * committed, {@link #STALE} if it was not made or its items went stale, else the handler's
   * failure. Throws {@link ClosedException} if the handler failed while the worker aborts.
   */
  private Throwable call(List<Item> items, List<Event> events, boolean deferred)
      throws InterruptedException {
    worker.permits.acquire();
    if (!lease.held()) {
      worker.permits.release();
      return STALE;
    }
    HandlerCall call = HandlerCall.start(timer, worker.permits, options.handlerTimeout(),
        () -> timedOut(items, events));
    try {
      Throwable failure;
      try {
        failure = deferred ? invocation.invokeDeferred(items, events, call)
            : invocation.invoke(items, events, call);
      } catch (Stale e) {
        if (e.handedOver()) {
          abandoned = true;
          run.clear();
        }
        return STALE;
      }
      if (failure != null && worker.aborting()) {
        throw new ClosedException("worker aborted", Map.of());
      }
      return failure;
    } finally {
      call.finish();
      call.releasePermit();
      timer.unwatch(call);
    }
  }

  /**
   * On the timer thread, when a handler call outlived the handler timeout: hands the partition to
   * a fresh runner of the same lease, which records the failed attempt (or, for a batch, goes on
   * one event at a time), and interrupts the handler. This runner stops once the handler returns.
   * The items this runner handled before and had not checkpointed (its run) go over too: the
   * fresh runner checkpoints them before recording the failure. Reading the run here is safe: the
   * runner last changed it before starting the call (the timer's watch publishes it), and touches
   * it again only after the call, once this hand-over is decided ({@link HandlerCall#handedOver}).
   */
  private boolean timedOut(List<Item> items, List<Event> events) {
    log.warn("handler timed out after {}; interrupting it, the partition goes on {}",
        options.handlerTimeout(), lease);
    Batcher next = batcher.copy();
    PendingFailure failure = null;
    if (items.size() > 1) {
      next.failed(items);
    } else {
      failure = new PendingFailure(items.get(0), events.get(0), invocation.timeout(), run.snapshot());
    }
    PartitionRunner fresh = new PartitionRunner(worker, lease, next, failure);
    boolean over = worker.replace(this, fresh);
    if (over) {
      abandoned = true;
    }
    interrupt();
    return over;
  }

  @Override
  public String toString() {
    return "PartitionRunner" + lease;
  }
}
