package io.tito.testkit.pubsub;

import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionLag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a delivery scenario did: events whose transactions committed, aborted or ended with an
 * unknown outcome; every delivery each group's handlers saw, in the order each partition's
 * handler saw them (failed handler calls included); dead letters, requeues, lease losses and the
 * groups' final checkpoints. Thread-safe.
 */
public final class DeliveryHistory {

  /** An event whose publishing transaction committed. */
  public record Published(UUID id, String key, int partition, Instant deliverAt) {}

  /**
   * One handler call (at-least-once groups) or one committed handler transaction (exactly-once
   * groups).
   *
   * @param failed the handler threw (at-least-once groups only)
   * @param epoch the lease epoch the committing transaction read, or -1 if not recorded
   */
  public record Delivery(String group, UUID id, int partition, long position, Instant at,
      Instant deliverAt, boolean failed, long epoch) {

    /** A successful delivery with no epoch recorded. */
    public Delivery(String group, UUID id, int partition, long position, Instant at,
        Instant deliverAt) {
      this(group, id, partition, position, at, deliverAt, false, -1);
    }
  }

  /** A requeue of a dead letter, asked at {@code at} (before the call). */
  public record Requeue(UUID id, Instant at) {}

  /**
   * A commit that a worker made after it had seen its lease taken by another worker: progress a
   * fenced worker must never be able to commit.
   */
  public record LateCommit(String group, int partition, UUID id, String worker, long epoch,
      long takenAtEpoch) {}

  private final int partitions;
  private final Map<UUID, Published> committed = new ConcurrentHashMap<>();
  private final Set<UUID> aborted = ConcurrentHashMap.newKeySet();
  private final Set<UUID> unknown = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  private final Set<String> exactlyOnceGroups = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> maxAttempts = new ConcurrentHashMap<>();
  private final Map<String, Map<UUID, Long>> storedEffects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, List<Requeue>> requeues = new ConcurrentHashMap<>();
  private final Map<String, Set<UUID>> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, List<PartitionLag>> finalLag = new ConcurrentHashMap<>();
  private final List<LateCommit> lateCommits = Collections.synchronizedList(new ArrayList<>());
  private final List<String> leaseLosses = Collections.synchronizedList(new ArrayList<>());

  public DeliveryHistory(int partitions) {
    this.partitions = partitions;
  }

  public int partitions() {
    return partitions;
  }

  /** Declares a group that must receive every committed event. */
  public void group(String name, boolean exactlyOnce) {
    groups.add(name);
    if (exactlyOnce) {
      exactlyOnceGroups.add(name);
    }
  }

  /**
   * Declares the group's max attempts: the checker then requires each of its dead letters to
   * follow at least that many failed calls since the event was last requeued.
   */
  public void maxAttempts(String group, int attempts) {
    maxAttempts.put(group, attempts);
  }

  public void committed(Published p) {
    committed.put(p.id(), p);
  }

  public void aborted(UUID id) {
    aborted.add(id);
  }

  public void unknown(UUID id) {
    unknown.add(id);
  }

  public void delivered(String group, Event e, Instant at) {
    delivered(group, e, at, false);
  }

  /** Records a handler call of an at-least-once group; {@code failed}: the handler threw. */
  public void delivered(String group, Event e, Instant at, boolean failed) {
    delivered(new Delivery(group, e.id(), e.partition(), e.position(), at, e.deliverAt(), failed,
        -1));
  }

  /**
   * Marks a handler of {@code group} starting on {@code partition}; records an overlap if another
   * handler of the group is inside the same partition. Pair with {@link #handlerDone}.
   */
  public void handlerStarted(String group, int partition) {
    int n = inFlight.computeIfAbsent(group + "/" + partition, k -> new AtomicInteger())
        .incrementAndGet();
    if (n > 1) {
      overlaps.add(group + " partition " + partition + " had " + n + " handlers at once");
    }
  }

  public void handlerDone(String group, int partition) {
    inFlight.get(group + "/" + partition).decrementAndGet();
  }

  /** Moments when two handlers of one group were inside one partition. */
  public List<String> overlaps() {
    synchronized (overlaps) {
      return List.copyOf(overlaps);
    }
  }

  /** Appends a delivery to its group and partition's list. */
  public void delivered(Delivery d) {
    deliveries.computeIfAbsent(d.group() + "/" + d.partition(),
        k -> Collections.synchronizedList(new ArrayList<>())).add(d);
  }

  /** Effects an exactly-once group's handler wrote to the store: id -> how many times applied. */
  public void storedEffects(String group, Map<UUID, Long> counts) {
    storedEffects.put(group, Map.copyOf(counts));
  }

  /** Records that {@code id} is about to be requeued from the group's dead letters. */
  public void requeued(String group, UUID id, Instant at) {
    requeues.computeIfAbsent(group, k -> Collections.synchronizedList(new ArrayList<>()))
        .add(new Requeue(id, at));
  }

  /** The group's dead letters at the end of the run. */
  public void deadLetters(String group, Collection<UUID> ids) {
    deadLetters.put(group, Set.copyOf(ids));
  }

  /** The group's checkpoints at the end of the run. */
  public void finalLag(String group, List<PartitionLag> lag) {
    finalLag.put(group, List.copyOf(lag));
  }

  /** A commit found in the store that a worker made after seeing its lease taken. */
  public void lateCommit(LateCommit c) {
    lateCommits.add(c);
  }

  /** Records that a worker stalled past its lease and saw another worker take it. */
  public void leaseLost(String description) {
    leaseLosses.add(description);
  }

  public Map<UUID, Published> committed() {
    return Map.copyOf(committed);
  }

  public Set<UUID> aborted() {
    return Set.copyOf(aborted);
  }

  public Set<UUID> unknown() {
    return Set.copyOf(unknown);
  }

  public Set<String> groups() {
    return Set.copyOf(groups);
  }

  public boolean exactlyOnce(String group) {
    return exactlyOnceGroups.contains(group);
  }

  /** The group's declared max attempts, or 0 if not declared. */
  public int maxAttempts(String group) {
    return maxAttempts.getOrDefault(group, 0);
  }

  public Map<UUID, Long> storedEffects(String group) {
    return storedEffects.getOrDefault(group, Map.of());
  }

  /** Requeues of the group, in the order they were asked. */
  public List<Requeue> requeues(String group) {
    List<Requeue> list = requeues.get(group);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  /** Ids of events requeued in the group so far. */
  public Set<UUID> requeuedIds(String group) {
    Set<UUID> out = new HashSet<>();
    for (Requeue r : requeues(group)) {
      out.add(r.id());
    }
    return out;
  }

  /** The group's final dead letters, or null if not recorded. */
  public Set<UUID> deadLetters(String group) {
    return deadLetters.get(group);
  }

  /** The group's final checkpoints, or null if not recorded. */
  public List<PartitionLag> finalLag(String group) {
    return finalLag.get(group);
  }

  public List<LateCommit> lateCommits() {
    synchronized (lateCommits) {
      return List.copyOf(lateCommits);
    }
  }

  public List<String> leaseLosses() {
    synchronized (leaseLosses) {
      return List.copyOf(leaseLosses);
    }
  }

  /** Deliveries of one group in one partition, in the order the handlers saw them. */
  public List<Delivery> deliveries(String group, int partition) {
    List<Delivery> list = deliveries.get(group + "/" + partition);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  /**
   * Whether each of {@code names} has handled every committed event successfully at least once,
   * or holds it as a dead letter ({@code dead}, may be empty), and has delivered every requeued
   * event after its requeue.
   */
  public boolean complete(String name, Set<UUID> dead) {
    Set<UUID> handled = new HashSet<>(dead);
    Map<UUID, Instant> lastDelivery = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      for (Delivery d : deliveries(name, p)) {
        if (!d.failed()) {
          handled.add(d.id());
        }
        lastDelivery.merge(d.id(), d.at(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    if (!handled.containsAll(committed.keySet())) {
      return false;
    }
    for (Requeue r : requeues(name)) {
      Instant last = lastDelivery.get(r.id());
      if (last == null || !last.isAfter(r.at())) {
        return false;
      }
    }
    return true;
  }
}
