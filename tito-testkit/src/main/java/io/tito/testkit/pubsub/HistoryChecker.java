package io.tito.testkit.pubsub;

import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.Topics;
import io.tito.testkit.pubsub.DeliveryHistory.Delivery;
import io.tito.testkit.pubsub.DeliveryHistory.LateCommit;
import io.tito.testkit.pubsub.DeliveryHistory.Published;
import io.tito.testkit.pubsub.DeliveryHistory.Requeue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a {@link DeliveryHistory} against the delivery guarantees and returns every violation
 * found (empty: the history is correct), each as {@code "kind: detail"}:
 * <ul>
 *   <li><b>lost</b>: a committed event a group never handled successfully nor dead-lettered;
 *   <li><b>dropped</b>: a committed event a group failed on and moved past without handling it or
 *       dead-lettering it;
 *   <li><b>phantom</b>: nothing delivered or dead-lettered that did not commit (aborted events in
 *       particular);
 *   <li><b>identity</b>: an event has one partition (that of its key) and one position, and no two
 *       events share a position;
 *   <li><b>order</b>: in each group and partition, each delivery is the position after the
 *       previous one; an at-least-once group may also go back to an earlier position (a restart
 *       from its checkpoint), never forward past a position it has not seen. Deliveries of
 *       requeued dead letters stand outside the order;
 *   <li><b>early</b>: no event delivered before its deliver-at time;
 *   <li><b>duplicate</b>, <b>effects</b>: for transactional groups, one committed delivery per
 *       event and effects stored exactly once;
 *   <li><b>fencing</b>: no progress committed by a worker after it lost its lease: no late commit
 *       recorded, and in each partition of a transactional group the lease epochs the commits read
 *       never decrease in commit order;
 *   <li><b>dead-letter</b>: each dead letter followed a failed call of its event, and at least the
 *       group's max attempts of them since the event was last requeued (kind <b>attempts</b>);
 *   <li><b>requeue</b>: each requeued event was delivered again after its requeue;
 *   <li><b>checkpoint</b>: at the end every group's checkpoint is at its partition's head, with no
 *       requeued entry pending (every committed event is behind the checkpoint, handled or
 *       dead-lettered);
 *   <li><b>overlap</b>: never two handlers of one group inside one partition at once (where the
 *       scenario tracked it).
 * </ul>
 * Thread-safe (stateless).
 */
public final class HistoryChecker {

  private static final int MAX_PER_KIND = 10;

  private HistoryChecker() {}

  public static List<String> check(DeliveryHistory h) {
    List<String> out = new ArrayList<>();
    for (String overlap : h.overlaps()) {
      add(out, "overlap", overlap);
    }
    for (LateCommit c : h.lateCommits()) {
      add(out, "fencing", c.group() + " partition " + c.partition() + ": worker " + c.worker()
          + " committed " + c.id() + " under epoch " + c.epoch() + " after epoch "
          + c.takenAtEpoch() + " took its lease");
    }
    Map<UUID, long[]> placeOf = new HashMap<>();
    Map<String, UUID> idAt = new HashMap<>();
    for (String g : h.groups()) {
      checkGroup(h, g, placeOf, idAt, out);
    }
    return out;
  }

  private static void checkGroup(DeliveryHistory h, String g, Map<UUID, long[]> placeOf,
      Map<String, UUID> idAt, List<String> out) {
    Map<UUID, Published> committed = h.committed();
    Set<UUID> unknown = h.unknown();
    Set<UUID> seen = new HashSet<>();
    Set<UUID> handled = new HashSet<>();
    Map<UUID, Integer> times = new HashMap<>();
    Map<UUID, Instant> requeuedAt = new HashMap<>();
    for (Requeue r : h.requeues(g)) {
      requeuedAt.merge(r.id(), r.at(), (a, b) -> a.isAfter(b) ? b : a);
    }
    Map<UUID, List<Delivery>> byId = new HashMap<>();
    for (int p = 0; p < h.partitions(); p++) {
      long last = -1;
      boolean started = false;
      long lastEpoch = -1;
      for (Delivery d : h.deliveries(g, p)) {
        seen.add(d.id());
        byId.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(d);
        if (!d.failed()) {
          handled.add(d.id());
        }
        times.merge(d.id(), 1, Integer::sum);
        checkIdentity(h, g, p, d, committed, unknown, placeOf, idAt, out);
        if (d.epoch() >= 0) {
          if (d.epoch() < lastEpoch) {
            add(out, "fencing", g + " partition " + p + " committed " + d.id() + " under epoch "
                + d.epoch() + " after a commit under epoch " + lastEpoch);
          }
          lastEpoch = Math.max(lastEpoch, d.epoch());
        }
        if (d.deliverAt() != null && d.at().isBefore(d.deliverAt())) {
          add(out, "early", g + " got " + d.id() + " at " + d.at() + ", due " + d.deliverAt());
        }
        Instant requeued = requeuedAt.get(d.id());
        if (requeued != null && d.at().isAfter(requeued)) {
          continue; // a requeued dead letter handled again: out of the log's order by design
        }
        if (started && d.position() > last + 1) {
          add(out, "order", g + " partition " + p + " went from " + last + " to " + d.position());
        } else if (started && d.position() <= last && h.exactlyOnce(g)) {
          add(out, "order", g + " (exactly once) partition " + p + " went back from " + last
              + " to " + d.position());
        } else if (!started && d.position() != 0) {
          add(out, "order", g + " partition " + p + " started at " + d.position());
        }
        started = true;
        last = d.position();
      }
    }
    Set<UUID> dead = h.deadLetters(g) == null ? Set.of() : h.deadLetters(g);
    for (UUID id : committed.keySet()) {
      if (handled.contains(id) || dead.contains(id)) {
        continue;
      }
      Published pub = committed.get(id);
      if (seen.contains(id)) {
        add(out, "dropped", g + " moved past " + id + " (partition " + pub.partition() + ") after "
            + times.get(id) + " failed calls without handling it or dead-lettering it");
      } else {
        add(out, "lost", g + " never got " + id + " (partition " + pub.partition() + ")");
      }
    }
    checkDeadLetters(h, g, dead, byId, out);
    for (Requeue r : h.requeues(g)) {
      boolean again = byId.getOrDefault(r.id(), List.of()).stream()
          .anyMatch(d -> d.at().isAfter(r.at()));
      if (!again) {
        add(out, "requeue", g + " never delivered " + r.id() + " again after its requeue");
      }
    }
    if (h.exactlyOnce(g)) {
      for (Map.Entry<UUID, Integer> e : times.entrySet()) {
        if (e.getValue() != 1) {
          add(out, "duplicate", g + " committed " + e.getKey() + " " + e.getValue() + " times");
        }
      }
      Map<UUID, Long> effects = h.storedEffects(g);
      for (UUID id : committed.keySet()) {
        long n = effects.getOrDefault(id, 0L);
        if (n != 1) {
          add(out, "effects", g + " applied effects of " + id + " " + n + " times");
        }
      }
    }
    List<PartitionLag> lag = h.finalLag(g);
    if (lag != null) {
      for (PartitionLag l : lag) {
        if (l.checkpoint() != l.head() || l.requeued() != 0) {
          add(out, "checkpoint", g + " partition " + l.partition() + " ended at checkpoint "
              + l.checkpoint() + " of head " + l.head() + " with " + l.requeued()
              + " requeued entries pending");
        }
      }
    }
  }

  private static void checkIdentity(DeliveryHistory h, String g, int p, Delivery d,
      Map<UUID, Published> committed, Set<UUID> unknown, Map<UUID, long[]> placeOf,
      Map<String, UUID> idAt, List<String> out) {
    Published pub = committed.get(d.id());
    if (pub == null && !unknown.contains(d.id())) {
      add(out, "phantom", g + " got " + d.id() + " at " + p + "@" + d.position()
          + (h.aborted().contains(d.id()) ? " (aborted)" : " (never committed)"));
    }
    if (pub != null && pub.partition() != p) {
      add(out, "partition", g + " got " + d.id() + " in partition " + p + ", key hashes to "
          + pub.partition());
    }
    if (pub != null && Topics.partitionOf(pub.key(), h.partitions()) != pub.partition()) {
      add(out, "partition", d.id() + " published to a partition its key does not hash to");
    }
    long[] place = placeOf.putIfAbsent(d.id(), new long[] {p, d.position()});
    if (place != null && (place[0] != p || place[1] != d.position())) {
      add(out, "identity", d.id() + " seen at " + place[0] + "@" + place[1] + " and " + p
          + "@" + d.position());
    }
    UUID other = idAt.putIfAbsent(p + "@" + d.position(), d.id());
    if (other != null && !other.equals(d.id())) {
      add(out, "identity", "position " + p + "@" + d.position() + " holds " + other + " and "
          + d.id());
    }
  }

  private static void checkDeadLetters(DeliveryHistory h, String g, Set<UUID> dead,
      Map<UUID, List<Delivery>> byId, List<String> out) {
    Map<UUID, Instant> lastRequeue = new HashMap<>();
    for (Requeue r : h.requeues(g)) {
      lastRequeue.merge(r.id(), r.at(), (a, b) -> a.isAfter(b) ? a : b);
    }
    for (UUID id : dead) {
      if (!h.committed().containsKey(id) && !h.unknown().contains(id)) {
        add(out, "phantom", g + " dead-lettered " + id + ", which never committed");
      }
      Instant since = lastRequeue.get(id);
      long failures = byId.getOrDefault(id, List.of()).stream()
          .filter(d -> d.failed() && (since == null || d.at().isAfter(since))).count();
      if (failures == 0) {
        add(out, "dead-letter", g + " dead-lettered " + id + " without a failed call"
            + (since == null ? "" : " since its requeue"));
      } else if (failures < h.maxAttempts(g)) {
        add(out, "attempts", g + " dead-lettered " + id + " after " + failures + " failed calls"
            + (since == null ? "" : " since its requeue") + ", max attempts " + h.maxAttempts(g));
      }
    }
  }

  private static void add(List<String> out, String kind, String detail) {
    long count = out.stream().filter(s -> s.startsWith(kind + ":")).count();
    if (count < MAX_PER_KIND) {
      out.add(kind + ": " + detail);
    } else if (count == MAX_PER_KIND) {
      out.add(kind + ": ... more");
    }
  }
}
