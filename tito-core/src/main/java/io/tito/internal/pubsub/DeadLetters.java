package io.tito.internal.pubsub;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.NotFoundException;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * A group's dead letters, at ("d", topic, group, id) -> (partition, position, event bytes, error,
 * attempts, deadAt). Requeueing moves one into the group's requeue list of its partition,
 * ("g", topic, group, p, "redo", n) -> {@link Requeued} (with its own attempt count, starting
 * again from zero), which that group's owner of the partition consumes before its log; no other
 * group sees it. Thread-safe.
 */
public final class DeadLetters {

  static final int REQUEUE_PAGE = 100;

  private final Context ctx;
  private final Keys keys;
  private volatile IntConsumer afterRequeuePage = n -> {};

  public DeadLetters(Context ctx) {
    this.ctx = ctx;
    this.keys = ctx.keys;
  }

  void write(Transaction tx, String topic, String group, int p, long position, UUID id,
      byte[] bytes, String error, int attempts) {
    tx.set(keys.dead(topic, group, id),
        Tuple.of(p, position, bytes, error, attempts, ctx.clock.instant()).pack());
    byte[] total = keys.deadLettered(topic, group, p);
    byte[] had = tx.get(total);
    tx.set(total, Tuple.of((had == null ? 0 : Tuple.unpack(had).getLong(0)) + 1).pack());
  }

  /**
   * How many events the group ever dead-lettered, over all partitions: a monotonic count that
   * requeueing and deleting dead letters do not lower (deleting the group resets it).
   */
  public long deadLetteredTotal(String topic, String group) {
    int partitions = ctx.requireTopic(topic).partitions();
    return ctx.tito.read(tx -> {
      long n = 0;
      for (int p = 0; p < partitions; p++) {
        byte[] v = tx.get(keys.deadLettered(topic, group, p));
        n += v == null ? 0 : Tuple.unpack(v).getLong(0);
      }
      return n;
    });
  }

  public List<DeadLetter> list(String topic, String group, int limit) {
    if (limit < 1) {
      throw new InvalidArgumentException("limit must be positive", Map.of("limit", limit));
    }
    ctx.requireTopic(topic);
    return ctx.tito.read(tx -> {
      List<DeadLetter> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(keys.deadRange(topic, group), ScanOptions.FORWARD.withLimit(limit))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = ctx.tito.root().unpack(kv.key());
          out.add(decode(topic, group, k.getUuid(k.size() - 1), kv.value()));
        }
      }
      return out;
    });
  }

  /** The dead letter {@code id} of the group, or null. */
  public DeadLetter get(String topic, String group, UUID id) {
    ctx.requireTopic(topic);
    byte[] v = ctx.tito.read(tx -> tx.get(keys.dead(topic, group, id)));
    return v == null ? null : decode(topic, group, id, v);
  }

  /** How many dead letters the group has (one streamed scan of its keys). */
  public long count(String topic, String group) {
    ctx.requireTopic(topic);
    return ctx.tito.read(tx -> {
      long n = 0;
      try (KeyValueCursor c = tx.scan(keys.deadRange(topic, group))) {
        while (c.hasNext()) {
          c.next();
          n++;
        }
      }
      return n;
    });
  }

  private static DeadLetter decode(String topic, String group, UUID id, byte[] value) {
    Tuple t = Tuple.unpack(value);
    int p = (int) t.getLong(0);
    long position = t.getLong(1);
    Event event;
    try {
      event = EventCodec.decode(topic, p, position, t.getBytes(2));
    } catch (RuntimeException e) {
      event = null;
    }
    return new DeadLetter(id, topic, group, p, position, event, t.getString(3), (int) t.getLong(4),
        t.getInstant(5));
  }

  /** @throws NotFoundException if there is no such dead letter */
  public void requeue(String topic, String group, UUID id) {
    ctx.tito.inTransaction(tx -> {
      if (!requeue(tx, topic, group, id)) {
        throw new NotFoundException("dead letter not found", Map.of("topic", topic, "group", group,
            "id", id));
      }
    });
  }

  private boolean requeue(Transaction tx, String topic, String group, UUID id) {
    byte[] v = tx.get(keys.dead(topic, group, id));
    if (v == null) {
      return false;
    }
    Tuple t = Tuple.unpack(v);
    int p = (int) t.getLong(0);
    long n = 0;
    try (KeyValueCursor c = tx.scan(keys.requeuedRange(topic, group, p), ScanOptions.REVERSE.withLimit(1))) {
      if (c.hasNext()) {
        n = keys.requeueNumber(c.next().key()) + 1;
      }
    }
    tx.set(keys.requeued(topic, group, p, n), Requeued.of(t.getLong(1), t.getBytes(2), id).encode());
    tx.clear(keys.dead(topic, group, id));
    ctx.signals.wakeOnCommit(tx, topic, p);
    return true;
  }

  /**
   * Requeues every dead letter of the group, a page per transaction; returns how many. Pages
   * continue after the last key requeued, so a letter that a running worker dead-letters again
   * meanwhile (under the same id) is not requeued and counted a second time; letters dead after
   * the call started are requeued only if they sort after its position.
   */
  public int requeueAll(String topic, String group) {
    ctx.requireTopic(topic);
    KeyRange all = keys.deadRange(topic, group);
    byte[] from = all.begin();
    int total = 0;
    while (true) {
      byte[] begin = from;
      List<byte[]> page = ctx.tito.transaction(tx -> {
        List<byte[]> requeued = new ArrayList<>();
        try (KeyValueCursor c = tx.scan(new KeyRange(begin, all.end()), ScanOptions.FORWARD.withLimit(REQUEUE_PAGE))) {
          while (c.hasNext()) {
            requeued.add(c.next().key());
          }
        }
        for (byte[] key : requeued) {
          Tuple k = ctx.tito.root().unpack(key);
          requeue(tx, topic, group, k.getUuid(k.size() - 1));
        }
        return requeued;
      });
      total += page.size();
      afterRequeuePage.accept(total);
      if (page.size() < REQUEUE_PAGE) {
        return total;
      }
      from = ByteArrays.keyAfter(page.get(page.size() - 1));
    }
  }

  /** Test hook: called after each committed page of {@link #requeueAll} with the count so far. */
  public void onRequeuePage(IntConsumer hook) {
    afterRequeuePage = hook;
  }

  /** Deletes one dead letter; returns whether it existed. */
  public boolean delete(String topic, String group, UUID id) {
    return ctx.tito.transaction(tx -> {
      byte[] key = keys.dead(topic, group, id);
      boolean existed = tx.get(key) != null;
      tx.clear(key);
      return existed;
    });
  }
}
