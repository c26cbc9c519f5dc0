package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's fallback of truth while wake-ups are {@linkplain Signals#complete() complete}: about
 * every {@link Signals#FALLBACK_POLL_MILLIS} (jittered, on the store's clock) one read-only
 * transaction looks at every partition the worker owns (the group states and log heads in one
 * {@code getAll}, then one short scan each for requeued dead letters and scheduled events) and
 * wakes only the partitions with something to do: events past the checkpoint, a requeued entry, a
 * scheduled event, or a state written under another epoch (the runner then finds itself fenced).
 * Idle runners meanwhile wait for a wake-up without a timeout, so an idle worker costs one read
 * per interval instead of one per partition. While wake-ups are not complete it reads nothing:
 * idle runners then poll on their own at their poll interval. Called by the worker's coordinator
 * after each heartbeat. Not thread-safe: only that thread uses it.
 */
final class FallbackPoll {

  private static final Logger log = LoggerFactory.getLogger(FallbackPoll.class);

  private final Worker worker;
  private final Map<Integer, PartitionRunner> runners;
  private long nextMillis;

  FallbackPoll(Worker worker, Map<Integer, PartitionRunner> runners) {
    this.worker = worker;
    this.runners = runners;
    this.nextMillis = worker.ctx.nowMillis() + interval();
  }

  private long interval() {
    return Signals.fallbackPollMillis(worker.options.pollInterval().toMillis());
  }

  /** Reads and wakes if the interval has passed and wake-ups are complete. */
  void tick() {
    Context ctx = worker.ctx;
    long now = ctx.nowMillis();
    if (!ctx.signals.complete() || now < nextMillis || worker.stopping()) {
      return;
    }
    List<PartitionRunner> owned = new ArrayList<>(runners.values());
    List<Integer> busy;
    try {
      busy = owned.isEmpty() ? List.of() : ctx.tito.read(tx -> withWork(tx, owned));
    } catch (ClosedException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("fallback read failed, will retry at the next heartbeat {} {}", worker.topic,
          worker.group, e);
      return;
    }
    nextMillis = now + interval();
    for (int p : busy) {
      ctx.signals.wake(worker.topic, p);
    }
  }

  /** The partitions of {@code owned} that have something to do. */
  private List<Integer> withWork(Transaction tx, List<PartitionRunner> owned) {
    Keys keys = worker.ctx.keys;
    String topic = worker.topic;
    String group = worker.group;
    List<byte[]> keyList = new ArrayList<>(2 * owned.size());
    for (PartitionRunner r : owned) {
      keyList.add(keys.state(topic, group, r.partition()));
      keyList.add(keys.seq(topic, r.partition()));
    }
    List<byte[]> values = tx.getAll(keyList); // one round trip
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < owned.size(); i++) {
      PartitionRunner r = owned.get(i);
      byte[] state = values.get(2 * i);
      byte[] seq = values.get(2 * i + 1);
      if (state == null) {
        continue; // the group was deleted: nothing to consume
      }
      GroupState s = GroupState.decode(state);
      long head = seq == null ? 0 : Tuple.unpack(seq).getLong(0);
      if (s.epoch() != r.lease().epoch() || s.checkpoint() < head
          || any(tx, keys.requeuedRange(topic, group, r.partition()))
          || worker.publisher.nextDue(tx, topic, r.partition()) != null) {
        out.add(r.partition());
      }
    }
    return out;
  }

  private static boolean any(Transaction tx, KeyRange range) {
    try (KeyValueCursor c = tx.scan(range, ScanOptions.FORWARD.withLimit(1))) {
      return c.hasNext();
    }
  }
}
