package io.tito.testkit.pubsub;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.pubsub.testing.PubSubTesting;
import io.tito.pubsub.Event;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the exactly-once groups' handlers write to the store in the transaction that advances the
 * checkpoint, and reading it back: a count per event id, and each delivery under a per-partition
 * commit counter with the lease epoch the transaction read, so the history holds exactly what
 * committed, in commit order (a crashed worker may not learn that its last commit went through;
 * the store knows). Thread-safe.
 */
final class EffectsStore {

  private final Tito tito;
  private final String topic;
  private final Subspace effects;

  EffectsStore(Tito tito, String topic) {
    this.tito = tito;
    this.topic = topic;
    this.effects = tito.root().subspace("history-effects");
  }

  /** Records one delivery in {@code tx}; {@code late} non-null marks it as a late commit. */
  void record(Transaction tx, String group, Event e, Instant at, LeaseLossEpisode.Late late) {
    byte[] count = effects.pack(group, e.id());
    byte[] v = tx.get(count);
    tx.set(count, Tuple.of(v == null ? 1L : Tuple.unpack(v).getLong(0) + 1).pack());
    long epoch = PubSubTesting.lease(tito, tx, topic, group, e.partition()).epoch();
    byte[] counter = effects.pack("commits", group, e.partition());
    byte[] c = tx.get(counter);
    long n = c == null ? 0 : Tuple.unpack(c).getLong(0);
    tx.set(counter, Tuple.of(n + 1).pack());
    tx.set(effects.pack("deliveries", group, e.partition(), n),
        Tuple.of(e.id(), e.position(), at, e.deliverAt(), epoch).pack());
    if (late != null) {
      tx.set(effects.pack("late", group, e.partition(), e.id()),
          Tuple.of(late.worker(), late.epoch(), late.takenAtEpoch()).pack());
    }
  }

  /** Adds the group's committed deliveries and late commits to {@code history}. */
  void readInto(DeliveryHistory history, String group) {
    tito.read(tx -> {
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of("deliveries", group)))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = effects.unpack(kv.key());
          Tuple v = Tuple.unpack(kv.value());
          history.delivered(new DeliveryHistory.Delivery(group, v.getUuid(0), (int) k.getLong(2),
              v.getLong(1), v.getInstant(2), v.isNull(3) ? null : v.getInstant(3), false,
              v.getLong(4)));
        }
      }
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of("late", group)))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = effects.unpack(kv.key());
          Tuple v = Tuple.unpack(kv.value());
          history.lateCommit(new DeliveryHistory.LateCommit(group, (int) k.getLong(2),
              k.getUuid(3), v.getString(0), v.getLong(1), v.getLong(2)));
        }
      }
      return null;
    });
    history.storedEffects(group, counts(group));
  }

  /** Event id -> how many times the group applied its effects. */
  Map<UUID, Long> counts(String group) {
    return tito.read(tx -> {
      Map<UUID, Long> out = new HashMap<>();
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of(group)))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = effects.unpack(kv.key());
          out.put(k.getUuid(1), Tuple.unpack(kv.value()).getLong(0));
        }
      }
      return out;
    });
  }
}
