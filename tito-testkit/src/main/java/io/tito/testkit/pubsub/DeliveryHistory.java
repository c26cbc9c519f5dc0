package io.tito.testkit.pubsub;

import io.tito.pubsub.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a delivery scenario did: events whose transactions committed, aborted or ended with an
 * unknown outcome, and every delivery each group's handlers saw, in the order each partition's
 * handler saw them. Thread-safe.
 */
public final class DeliveryHistory {

  /** An event whose publishing transaction committed. */
  public record Published(UUID id, String key, int partition, Instant deliverAt) {}

  /** One handler call (at-least-once groups) or one committed handler transaction. */
  public record Delivery(String group, UUID id, int partition, long position, Instant at,
      Instant deliverAt) {}

  private final int partitions;
  private final Map<UUID, Published> committed = new ConcurrentHashMap<>();
  private final Set<UUID> aborted = ConcurrentHashMap.newKeySet();
  private final Set<UUID> unknown = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  private final Set<String> exactlyOnceGroups = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<UUID, Long>> storedEffects = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight =
      new ConcurrentHashMap<>();
  private final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());

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
    delivered(new Delivery(group, e.id(), e.partition(), e.position(), at, e.deliverAt()));
  }

  /**
   * Marks a handler of {@code group} starting on {@code partition}; records an overlap if another
   * handler of the group is inside the same partition. Pair with {@link #handlerDone}.
   */
  public void handlerStarted(String group, int partition) {
    int n = inFlight.computeIfAbsent(group + "/" + partition,
        k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
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

  public Map<UUID, Long> storedEffects(String group) {
    return storedEffects.getOrDefault(group, Map.of());
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

  /** Whether each of {@code names} has seen every committed event at least once. */
  public boolean complete(java.util.Collection<String> names) {
    for (String g : names) {
      Set<UUID> seen = new java.util.HashSet<>();
      for (int p = 0; p < partitions; p++) {
        for (Delivery d : deliveries(g, p)) {
          seen.add(d.id());
        }
      }
      if (!seen.containsAll(committed.keySet())) {
        return false;
      }
    }
    return true;
  }
}
