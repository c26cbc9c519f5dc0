package io.tito.testkit.pubsub;

import io.tito.pubsub.Topics;
import io.tito.testkit.pubsub.DeliveryHistory.Delivery;
import io.tito.testkit.pubsub.DeliveryHistory.Published;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a {@link DeliveryHistory} against the delivery guarantees and returns every violation
 * found (empty: the history is correct):
 * <ul>
 *   <li><b>no loss</b>: every committed event was delivered to every group;
 *   <li><b>no phantom</b>: nothing delivered that did not commit (aborted events in particular);
 *   <li><b>identity</b>: an event has one partition (that of its key) and one position, and no two
 *       events share a position;
 *   <li><b>order</b>: in each group and partition, each delivery is the position after the
 *       previous one; an at-least-once group may also go back to an earlier position (a restart
 *       from its checkpoint), never forward past a position it has not seen;
 *   <li><b>due time</b>: no event delivered before its deliver-at time;
 *   <li><b>exactly once</b>: for transactional groups, one committed delivery per event and
 *       effects stored exactly once;
 *   <li><b>exclusive</b>: never two handlers of one group inside one partition at once (where
 *       the scenario tracked it).
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
    Map<UUID, Published> committed = h.committed();
    Set<UUID> unknown = h.unknown();
    Map<UUID, long[]> placeOf = new HashMap<>();
    Map<String, UUID> idAt = new HashMap<>();
    for (String g : h.groups()) {
      Set<UUID> seen = new HashSet<>();
      Map<UUID, Integer> times = new HashMap<>();
      for (int p = 0; p < h.partitions(); p++) {
        long last = -1;
        boolean started = false;
        for (Delivery d : h.deliveries(g, p)) {
          seen.add(d.id());
          times.merge(d.id(), 1, Integer::sum);
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
          if (d.deliverAt() != null && d.at().isBefore(d.deliverAt())) {
            add(out, "early", g + " got " + d.id() + " at " + d.at() + ", due " + d.deliverAt());
          }
        }
      }
      for (UUID id : committed.keySet()) {
        if (!seen.contains(id)) {
          Published pub = committed.get(id);
          add(out, "lost", g + " never got " + id + " (partition " + pub.partition() + ")");
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
    }
    return out;
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
