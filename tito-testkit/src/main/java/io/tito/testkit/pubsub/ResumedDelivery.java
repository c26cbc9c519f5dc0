package io.tito.testkit.pubsub;

import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Resumes the consumer groups of a {@link DeliveryScenario} on a store restored from a backup
 * taken while the scenario ran, and returns a history that {@link HistoryChecker} judges as if the
 * groups had run on the restored store from the start:
 * <ul>
 *   <li><b>committed</b>: the events of the restored topic's logs and its scheduled events (not yet
 *       moved into the logs at the restore point) that the scenario committed
 *       (events it did not commit are left out, so delivering one is a phantom; events whose
 *       commit outcome the scenario did not learn stay unknown; the logs must start at position 0);
 *   <li>{@code beta} (at-least-once): the scenario's deliveries below the group's restored
 *       checkpoint in each partition, then the resumed deliveries from the checkpoint on;
 *   <li>{@code gamma} and {@code delta} (exactly-once): every delivery the restored store holds in
 *       the effects the handlers write with their checkpoint (those committed up to the restore
 *       point, then the resumed ones), with their counts;
 *   <li>the groups' dead letters and checkpoints at the end.
 * </ul>
 * So the checker's rules say: every event up to the restore point is delivered to every group as
 * its semantics require (exactly once, in order, for the transactional groups), resuming from the
 * restored checkpoints, and nothing else is. {@code alpha} is left out: its dead letters and
 * requeues were driven from outside the store (requeue times, poison rules), which a restored store
 * cannot replay.
 */
public final class ResumedDelivery {

  private static final List<String> GROUPS = List.of("beta", "gamma", "delta");

  private ResumedDelivery() {}

  /**
   * Runs one worker of each resumed group on {@code restored} until every group's checkpoint is at
   * its partition's head (or {@code timeout} passes), closes them, and returns the history.
   *
   * @param source the history of the scenario run the backup was taken from
   */
  public static DeliveryHistory resume(Tito restored, DeliveryHistory source, Duration timeout) {
    Topics topics = restored.topics();
    String topic = DeliveryScenario.TOPIC;
    int partitions = source.partitions();
    DeliveryHistory history = new DeliveryHistory(partitions);
    Map<UUID, DeliveryHistory.Published> sourceCommitted = source.committed();
    for (int p = 0; p < partitions; p++) {
      for (Event e : restoredEvents(topics, topic, p)) {
        DeliveryHistory.Published published = sourceCommitted.get(e.id());
        if (published != null) {
          history.committed(published);
        } else if (source.unknown().contains(e.id())) {
          history.unknown(e.id());
        }
      }
    }
    history.group("beta", false);
    history.group("gamma", true);
    history.group("delta", true);
    for (int p = 0; p < partitions; p++) {
      long checkpoint = checkpoint(topics, topic, "beta", p);
      for (DeliveryHistory.Delivery d : source.deliveries("beta", p)) {
        if (d.position() < checkpoint) {
          history.delivered(d);
        }
      }
    }
    EffectsStore effects = new EffectsStore(restored, topic);
    SubscribeOptions options = SubscribeOptions.builder()
        .pollInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofMillis(50))
        .leaseTimeout(Duration.ofMillis(500))
        .shutdownTimeout(Duration.ofSeconds(20))
        .build();
    List<Subscription> workers = new ArrayList<>();
    try {
      workers.add(topics.subscribe(topic, "beta", e -> history.delivered("beta", e, Instant.now()), options));
      workers.add(topics.subscribeTransactional(topic, "gamma",
          (tx, e) -> effects.record(tx, "gamma", e, Instant.now(), null), options));
      workers.add(topics.subscribeBatchesTransactional(topic, "delta",
          (tx, events) -> {
            Instant at = Instant.now();
            events.forEach(e -> effects.record(tx, "delta", e, at, null));
          }, options));
      awaitCaughtUp(topics, topic, timeout);
    } finally {
      workers.forEach(Subscription::close);
    }
    effects.readInto(history, "gamma");
    effects.readInto(history, "delta");
    for (String g : GROUPS) {
      Set<UUID> dead = new HashSet<>();
      for (DeadLetter d : topics.deadLetters(topic, g, 100_000)) {
        dead.add(d.id());
      }
      history.deadLetters(g, dead);
      history.finalLag(g, topics.lag(topic, g));
    }
    return history;
  }

  /** The events of partition {@code p}: its log, then its scheduled events not yet due or moved. */
  private static List<Event> restoredEvents(Topics topics, String topic, int p) {
    List<Event> out = new ArrayList<>();
    long head = topics.head(topic, p);
    for (long pos = 0; pos < head; ) {
      List<Event> page = topics.read(topic, p, pos, 500);
      if (page.isEmpty()) {
        break;
      }
      if (pos == 0 && page.get(0).position() != 0) {
        throw new IllegalStateException("restored log of partition " + p + " starts at "
            + page.get(0).position() + ", not 0");
      }
      out.addAll(page);
      pos = page.get(page.size() - 1).position() + 1;
    }
    out.addAll(topics.scheduled(topic, p, 100_000));
    return out;
  }

  private static long checkpoint(Topics topics, String topic, String group, int partition) {
    try {
      return topics.lag(topic, group).stream().filter(l -> l.partition() == partition)
          .mapToLong(PartitionLag::checkpoint).findFirst().orElse(0);
    } catch (NotFoundException e) {
      return 0; // the group had not registered at the restore point
    }
  }

  /** Polls until no event is scheduled and every group is at its heads; returns at the timeout (the checker then reports it). */
  private static void awaitCaughtUp(Topics topics, String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (caughtUp(topics, topic)) {
        return;
      }
      LockSupport.parkNanos(5_000_000); // poll interval
    }
  }

  private static boolean caughtUp(Topics topics, String topic) {
    for (int p = 0; p < topics.topic(topic).partitions(); p++) {
      if (!topics.scheduled(topic, p, 1).isEmpty()) {
        return false;
      }
    }
    for (String g : GROUPS) {
      List<PartitionLag> lag;
      try {
        lag = topics.lag(topic, g);
      } catch (NotFoundException e) {
        return false;
      }
      for (PartitionLag l : lag) {
        if (l.lag() != 0 || l.requeued() != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
