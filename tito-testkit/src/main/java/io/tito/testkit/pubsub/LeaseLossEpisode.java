package io.tito.testkit.pubsub;

import io.tito.Tito;
import io.tito.Transaction;
import io.tito.pubsub.testing.PubSubTesting;
import io.tito.pubsub.testing.PubSubTesting.PartitionLease;
import io.tito.pubsub.Event;
import io.tito.pubsub.Subscription;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker that stalls past its lease, for the {@link DeliveryScenario}: the worker runs on its
 * own store handle (standing in for another process) whose engine can hold the worker's heartbeat.
 * The first time its handler runs, the handler pauses the heartbeat and blocks until another
 * worker has taken the partition's lease, then resumes the heartbeat and returns: the
 * transaction that would advance the checkpoint is now late, and fencing must reject it. The
 * handler marks its effects as a late commit, so a late commit that went through shows in the
 * store. Every other handler of the group holds the stalled event until the stalled worker's
 * attempt is over, so the late commit, if not fenced, cannot be hidden by the new owner's.
 * Thread-safe.
 */
final class LeaseLossEpisode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaseLossEpisode.class);

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Tito tito;
  private final String topic;
  private final String group;
  private final HeartbeatPausingEngine engine;
  private final Tito stallTito;
  private final DeliveryHistory history;
  private final AtomicBoolean armed = new AtomicBoolean(true);
  private volatile Subscription worker;
  private volatile UUID stalledId;
  private volatile Late late;

  /** What the stalled handler knows when it returns: its lease was taken. */
  record Late(String worker, long epoch, long takenAtEpoch) {}

  LeaseLossEpisode(Tito tito, String topic, String group, DeliveryHistory history) {
    this.tito = tito;
    this.topic = topic;
    this.group = group;
    this.history = history;
    this.engine = new HeartbeatPausingEngine(tito.engine(), PubSubTesting.membersRange(tito, topic, group));
    this.stallTito = Tito.builder().engine(engine).root(tito.root())
        .retryPolicy(tito.retryPolicy()).build();
  }

  /** The store handle the stalling worker subscribes on. */
  Tito stallTito() {
    return stallTito;
  }

  /** The stalling worker, once subscribed. */
  void worker(Subscription value) {
    worker = value;
  }

  /**
   * In the stalling worker's handler, before its effects: the first time, stalls until another
   * worker took the partition's lease and returns what to record as late; otherwise null.
   */
  Late stallOnce(Transaction tx, Event e) throws InterruptedException {
    if (worker == null || !armed.compareAndSet(true, false)) {
      return null;
    }
    long epoch = PubSubTesting.lease(tito, tx, topic, group, e.partition()).epoch();
    log.info("worker {} stalls at {} under epoch {}", worker.workerId(), e, epoch);
    stalledId = e.id();
    engine.pause();
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      long taken;
      while ((taken = leaseEpoch(e.partition())) <= epoch) {
        if (System.nanoTime() > deadline) {
          log.warn("worker {} stalled for {} and kept its lease", worker.workerId(), WAIT);
          return null;
        }
        Thread.sleep(5);
      }
      log.info("worker {} saw epoch {} take its lease", worker.workerId(), taken);
      history.leaseLost(group + " partition " + e.partition() + ": worker " + worker.workerId()
          + " stalled at position " + e.position() + " under epoch " + epoch + "; epoch " + taken
          + " took the lease");
      late = new Late(worker.workerId(), epoch, taken);
      return late;
    } finally {
      engine.resume();
    }
  }

  /**
   * In every other handler of the group: holds the stalled event until the stalled worker's
   * attempt at it is over, that is until its runner of the partition has ended (the worker owns
   * the partition no more, or owns it again under a newer lease), at most {@link #WAIT}.
   */
  void awaitStalledAttempt(Event e) throws InterruptedException {
    if (!e.id().equals(stalledId)) {
      return;
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (stalledRunnerAlive(e.partition()) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private boolean stalledRunnerAlive(int partition) {
    Subscription w = worker;
    if (!w.ownedPartitions().contains(partition)) {
      return false;
    }
    Late late = this.late;
    if (late == null) {
      return true;
    }
    PartitionLease lease = PubSubTesting.lease(tito, topic, group, partition);
    return !(w.workerId().equals(lease.owner()) && lease.epoch() > late.takenAtEpoch());
  }

  private long leaseEpoch(int partition) {
    return PubSubTesting.lease(tito, topic, group, partition).epoch();
  }

  @Override
  public void close() {
    engine.resume();
    stallTito.close();
  }
}
