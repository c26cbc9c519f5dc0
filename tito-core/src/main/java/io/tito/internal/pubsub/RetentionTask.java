package io.tito.internal.pubsub;

import io.tito.ClosedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's retention, on its own virtual thread so that a large backlog never delays the
 * heartbeat that renews leases. Every {@link io.tito.pubsub.SubscribeOptions#retentionInterval}
 * (the first one an interval after the worker started) it starts a round: one read-only
 * transaction picks the owned partitions whose round is due and whose oldest event can go; the
 * first step on each claims the round for the partition (so one worker of one group cleans each
 * partition per interval, however many groups there are; rounds of workers out of phase may
 * clean a partition up to two intervals apart). Work is bounded: at most {@value #BATCH} events
 * per transaction and {@value #BATCHES_PER_TICK} transactions per tick of one heartbeat interval;
 * a larger backlog is worked off over later ticks. Between rounds it sleeps up to ten heartbeat
 * intervals. Not thread-safe: only its own thread uses it.
 */
final class RetentionTask implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);

  /** Events deleted per transaction at most. */
  static final int BATCH = 256;
  /** Transactions per tick at most. */
  static final int BATCHES_PER_TICK = 16;

  private final Worker worker;
  private final String signal;
  private final Deque<Integer> pending = new ArrayDeque<>();
  /** Whether the head of {@link #pending} was claimed: its next steps just go on deleting. */
  private boolean claimed;
  private long nextRoundMillis;

  RetentionTask(Worker worker, String signal) {
    this.worker = worker;
    this.signal = signal;
    this.nextRoundMillis = worker.ctx.nowMillis() + worker.options.retentionInterval().toMillis();
  }

  @Override
  public void run() {
    Signals signals = worker.ctx.signals;
    try {
      while (!worker.stopping()) {
        long token = signals.generation(signal);
        try {
          tick();
        } catch (ClosedException e) {
          return;
        } catch (RuntimeException e) {
          if (worker.stopping()) {
            return;
          }
          log.warn("retention failed, will retry {} {}", worker.topic, worker.group, e);
          pending.clear();
        }
        signals.await(signal, token, waitMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A heartbeat interval while a round has work left; otherwise until the next round, but at
   * most ten heartbeat intervals, so that a clock that jumps (a test's) is noticed.
   */
  private long waitMillis() {
    long beat = worker.options.heartbeatInterval().toMillis();
    if (!pending.isEmpty()) {
      return beat;
    }
    return Math.max(beat, Math.min(10 * beat, nextRoundMillis - worker.ctx.nowMillis()));
  }

  /** One bounded slice of work. */
  void tick() {
    long interval = worker.options.retentionInterval().toMillis();
    if (pending.isEmpty()) {
      long now = worker.ctx.nowMillis();
      if (now < nextRoundMillis) {
        return;
      }
      nextRoundMillis = now + interval;
      pending.addAll(worker.groups.retentionCandidates(worker.topic,
          new ArrayList<>(worker.ownedPartitions()), interval));
      claimed = false;
    }
    int steps = 0;
    while (!pending.isEmpty() && steps < BATCHES_PER_TICK && !worker.stopping()) {
      int p = pending.peek();
      if (!worker.ownedPartitions().contains(p)) {
        pending.poll();
        claimed = false;
        continue;
      }
      int deleted = worker.groups.retentionStep(worker.topic, p, BATCH, claimed ? 0 : interval);
      steps++;
      if (deleted < BATCH) {
        pending.poll();
        claimed = false;
      } else {
        claimed = true;
      }
    }
  }
}
