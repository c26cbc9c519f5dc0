package io.tito.internal.pubsub;

import io.tito.AlreadyExistsException;
import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.internal.DefaultTransaction;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.PublishReceipt;
import io.tito.pubsub.TopicConfig;
import io.tito.spi.Capability;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Topic creation, publishing in the caller's transaction, moving due events into the log, and
 * reading the log. Thread-safe.
 */
public final class Publisher {

  private final Context ctx;
  private final Keys keys;
  /** Whether the engine assigns log positions at commit ({@link Capability#COMMIT_SEQUENCED_APPENDS}). */
  private final boolean sequenced;
  /**
   * Whether releases commit without waiting to be durable ({@link Capability#RELAXED_DURABILITY}):
   * a release lost in a crash leaves its events scheduled, to be released again.
   */
  private final boolean relaxedReleases;

  public Publisher(Context ctx) {
    this.ctx = ctx;
    this.keys = ctx.keys;
    var capabilities = ctx.tito.engine().capabilities();
    this.sequenced = capabilities.contains(Capability.COMMIT_SEQUENCED_APPENDS);
    this.relaxedReleases = capabilities.contains(Capability.RELAXED_DURABILITY);
  }

  /**
   * The outcome of a publish: the receipt, and for an event whose position its commit assigns,
   * the partition's counter key and the event's offset among the transaction's appends to it
   * (the position is {@code tx.sequenceStart(counter) + offset} once committed); counter null
   * when the receipt is complete.
   */
  public record Published(PublishReceipt receipt, byte[] counter, int offset) {}

  public TopicConfig createTopic(String topic, TopicConfig config) {
    Context.requireName(topic, "topic");
    if (config == null) {
      throw new InvalidArgumentException("config must not be null", Map.of());
    }
    return ctx.tito.transaction(tx -> {
      TopicConfig existing = ctx.topic(tx, topic);
      if (existing != null) {
        if (!existing.equals(config)) {
          throw new AlreadyExistsException("topic exists with other settings",
              Map.of("topic", topic, "partitions", existing.partitions()));
        }
        return existing;
      }
      tx.set(keys.topic(topic), Context.encodeTopic(config));
      return config;
    });
  }

  /** Publishes {@code message} (its payload copied once). */
  public Published publish(Transaction tx, String topic, Message message) {
    return publish(tx, topic, message, message == null ? null : message.payload());
  }

  /**
   * Publishes {@code message}, whose payload is {@code payload} (the message's own array, read and
   * never kept or changed: no copy).
   */
  public Published publish(Transaction tx, String topic, Message message, byte[] payload) {
    if (tx == null || message == null) {
      throw new InvalidArgumentException("transaction and message must not be null", Map.of());
    }
    TopicConfig config = ctx.requireTopic(tx, topic);
    byte[] idKey = message.id() == null ? null : keys.publishedId(topic, message.id());
    if (idKey != null) {
      // Read, and written below: two publishes of one id conflict, and the retried one sees this.
      byte[] seen = tx.get(idKey);
      if (seen != null) {
        Tuple t = Tuple.unpack(seen);
        return new Published(new PublishReceipt(message.id(), topic, (int) t.getLong(0), t.getLong(1),
            t.isNull(2) ? null : t.getInstant(2)), null, 0);
      }
    }
    int p = PartitionHash.partition(message.key(), config.partitions());
    UUID id = idKey != null ? message.id() : Ids.next(ctx.clock);
    Instant now = ctx.clock.instant();
    byte[] bytes = EventCodec.encode(id, message.key(), payload, message.headers(), now,
        message.deliverAt());
    long position = PublishReceipt.SCHEDULED;
    if (message.deliverAt() != null && message.deliverAt().isAfter(now)) {
      tx.set(keys.due(topic, p, message.deliverAt(), id), bytes);
    } else if (idKey == null && sequenced) {
      // The position is assigned at commit: concurrent publishers to the partition never conflict.
      byte[] counter = keys.seq(topic, p);
      int offset = tx.appendSequenced(counter, keys.logPrefix(topic, p), bytes);
      ctx.signals.handOffOnCommit(tx, topic, p, () -> tx.sequenceStart(counter) + offset, bytes);
      return new Published(new PublishReceipt(id, topic, p, PublishReceipt.UNASSIGNED,
          message.deliverAt()), counter, offset);
    } else {
      // A caller-chosen id records its position in the transaction: read-modify-write the counter.
      position = append(tx, topic, p, List.of(bytes));
    }
    if (idKey != null) {
      tx.set(idKey, Tuple.of(p, position, message.deliverAt()).pack());
    }
    if (position == PublishReceipt.SCHEDULED) {
      signalOnCommit(tx, topic, p);
    } else {
      long at = position;
      ctx.signals.handOffOnCommit(tx, topic, p, () -> at, bytes);
    }
    return new Published(new PublishReceipt(id, topic, p, position, message.deliverAt()), null, 0);
  }

  /**
   * Forgets the caller-chosen ids of log events that retention deletes in {@code tx}, so the id
   * index stays as long as the log. One batched read; only ids that were chosen are cleared.
   */
  void forgetIds(Transaction tx, String topic, List<byte[]> deletedEvents) {
    List<byte[]> idKeys = new ArrayList<>(deletedEvents.size());
    for (byte[] bytes : deletedEvents) {
      UUID id = EventCodec.id(bytes);
      if (id != null) {
        idKeys.add(keys.publishedId(topic, id));
      }
    }
    if (idKeys.isEmpty()) {
      return;
    }
    List<byte[]> present = tx.getAll(idKeys);
    for (int i = 0; i < idKeys.size(); i++) {
      if (present.get(i) != null) {
        tx.clear(idKeys.get(i));
      }
    }
  }

  /** Appends events at the partition's next positions; returns the first position. */
  long append(Transaction tx, String topic, int p, List<byte[]> events) {
    byte[] seqKey = keys.seq(topic, p);
    long first = Context.readLong(tx, seqKey, 0);
    long next = first;
    for (byte[] e : events) {
      tx.set(keys.log(topic, p, next++), e);
    }
    tx.set(seqKey, Tuple.of(next).pack());
    return first;
  }

  /**
   * Appends events at the partition's next positions, assigned at commit where the engine can
   * (no conflict with concurrent publishers; returns -1: the position is {@code
   * tx.sequenceStart(counter)} after commit), else read-modify-writing the counter (returns the
   * first position).
   */
  private long appendAtCommit(Transaction tx, String topic, int p, List<byte[]> events) {
    if (!sequenced) {
      return append(tx, topic, p, events);
    }
    byte[] counter = keys.seq(topic, p);
    byte[] prefix = keys.logPrefix(topic, p);
    for (byte[] e : events) {
      tx.appendSequenced(counter, prefix, e);
    }
    return -1;
  }

  /** Wakes the partition's local workers after commit and, through the engine, other processes'. */
  void signalOnCommit(Transaction tx, String topic, int partition) {
    ctx.signals.wakeOnCommit(tx, topic, partition);
  }

  /**
   * Moves up to {@code limit} events due at {@code now} from "due" into the log, in due-time
   * order, in one transaction. Returns how many moved.
   */
  public int releaseDue(String topic, int p, int limit) {
    int[] moved = new int[1];
    releaseDue(topic, p, limit, null, moved);
    return moved[0];
  }

  /**
   * Like {@link #releaseDue(String, int, int)}, looking only at due keys from {@code from} (null:
   * all). Returns where the next look can start: just after the last key moved (keys before it
   * are deleted entries that would only slow scans down), or {@code from} if none moved.
   */
  byte[] releaseDue(String topic, int p, int limit, byte[] from, int[] movedOut) {
    Release r = release(topic, p, limit, from, null);
    if (movedOut != null) {
      movedOut[0] = r.moved();
    }
    return r.nextFrom();
  }

  /**
   * What one release did: how many events it moved, where the next look for due events can start
   * ({@link #releaseDue(String, int, int, byte[], int[])}), and the earliest due time of the
   * events it left (null: none), as its transaction saw them; also the moved events as stored, in
   * log order, and the log position of the first ({@code -1} if none moved): its commit assigned
   * them the positions {@code firstPosition}, {@code firstPosition + 1}, ...
   */
  record Release(int moved, byte[] nextFrom, Instant nextDue, List<byte[]> events,
      long firstPosition) {}

  /**
   * Moves up to {@code limit} events due now (the clock read after the due scan's first page)
   * from the due keys at or after {@code from} (null: all) into the log, in due-time order, in
   * one transaction that runs {@code first} (null: none) before: a consumer's checkpoint commits
   * with the release, on engines with {@link Capability#RELAXED_DURABILITY} without waiting to be
   * durable (a crash loses it whole: its events stay scheduled). The same scan finds the earliest
   * due time left (it reads one key past the ones it moves), so that whoever released needs no
   * second look to know when the next event falls due.
   */
  Release release(String topic, int p, int limit, byte[] from, StartReads<?> first) {
    return release(topic, p, limit, limit, from, first);
  }

  /**
   * Like {@link #release(String, int, int, byte[], StartReads)}, reading the due keys in a first scan
   * of at most {@code expected} keys plus one (the key past them, whose due time is the next), and
   * only if all of those are due, in a second scan of the rest up to {@code limit}. A release asks
   * the engine for the keys it will probably move, not for {@code limit} of them: on a server
   * engine a scan's limit is the size of the page it transfers, and a runner that keeps up finds a
   * few events due at each release, while the due range behind them holds thousands.
   */
  Release release(String topic, int p, int limit, int expected, byte[] from,
      StartReads<?> first) {
    int firstScan = Math.max(1, Math.min(limit, expected)) + 1;
    long[] firstPosition = new long[1];
    Release r = ctx.tito.transaction(tx -> {
      firstPosition[0] = -1;
      if (relaxedReleases && tx instanceof DefaultTransaction d) {
        // Lost whole or kept whole; any later durable commit that saw it (a consumer's
        // checkpoint, a transactional handler's effects) makes it durable first.
        d.engineTransaction().relaxDurability();
      }
      // The first page of the due scan and the keys {@code first} reads, in one read call (one
      // round trip on a SQL engine); then {@code first} runs, before anything is moved.
      List<RangeRead> reads = new ArrayList<>();
      if (first != null) {
        for (byte[] k : first.keys()) {
          reads.add(RangeRead.point(k));
        }
      }
      reads.add(RangeRead.forward(dueFrom(topic, p, from), firstScan));
      List<List<KeyValue>> rows = tx.scanAll(reads);
      if (first != null) {
        List<byte[]> values = new ArrayList<>(first.keys().size());
        for (int i = 0; i < first.keys().size(); i++) {
          List<KeyValue> row = rows.get(i);
          values.add(row.isEmpty() ? null : row.get(0).value());
        }
        first.run(tx, values);
      }
      List<KeyValue> page = rows.get(rows.size() - 1);
      // The clock is read once the first scan's page is in (a round trip on a server engine),
      // so an event that fell due meanwhile goes now rather than a round later. A key is moved
      // only if its due time is not after a reading taken after it was read: never early.
      Instant now = ctx.clock.instant();
      List<byte[]> moved = new ArrayList<>();
      byte[] last = null;
      Instant nextDue = null;
      int want = firstScan;
      while (true) {
        int read = 0;
        boolean found = false;
        for (KeyValue kv : page) {
          read++;
          Instant at = keys.dueTime(kv.key());
          if (at.isAfter(now) || moved.size() == limit) {
            nextDue = at;
            found = true;
            break;
          }
          moved.add(kv.value());
          tx.clear(kv.key());
          last = kv.key();
        }
        if (found || read < want) {
          break; // the key past the moved ones was read, or the due range ended
        }
        // Every key of that scan was due: the rest (up to the limit, and one past) from after it.
        want = limit - moved.size() + 1;
        page = tx.scanAll(List.of(RangeRead.forward(dueFrom(topic, p, ByteArrays.keyAfter(last)),
            want))).get(0);
      }
      if (!moved.isEmpty()) {
        long start = appendAtCommit(tx, topic, p, moved);
        if (start >= 0) {
          firstPosition[0] = start;
        } else {
          byte[] counter = keys.seq(topic, p);
          // Registered before the wake-up below: the position is known when the runner wakes.
          tx.afterCommit(() -> firstPosition[0] = tx.sequenceStart(counter));
        }
        signalOnCommit(tx, topic, p);
      }
      return new Release(moved.size(), last == null ? from : ByteArrays.keyAfter(last), nextDue,
          moved, -1);
    });
    return new Release(r.moved(), r.nextFrom(), r.nextDue(), r.events(), firstPosition[0]);
  }

  /** The partition's due keys from {@code from} (null: all). */
  private KeyRange dueFrom(String topic, int p, byte[] from) {
    KeyRange r = keys.dueRange(topic, p);
    if (from == null || ByteArrays.compare(from, r.begin()) <= 0) {
      return r;
    }
    return ByteArrays.compare(from, r.end()) >= 0 ? new KeyRange(r.end(), r.end())
        : new KeyRange(from, r.end());
  }

  /** The earliest due time in the partition, or null. */
  Instant nextDue(Transaction tx, String topic, int p) {
    return nextDue(tx, topic, p, null);
  }

  /** The earliest due time at or after the due key {@code from} (null: all), or null. */
  Instant nextDue(Transaction tx, String topic, int p, byte[] from) {
    KeyRange range = nextDueRange(topic, p, from);
    if (range == null) {
      return null;
    }
    try (KeyValueCursor c = tx.scan(range, ScanOptions.FORWARD.withLimit(1))) {
      return c.hasNext() ? keys.dueTime(c.next().key()) : null;
    }
  }

  /**
   * The due keys at or after {@code from} (null: all), whose first key's due time is {@link
   * #nextDue}; null if {@code from} is past them all.
   */
  KeyRange nextDueRange(String topic, int p, byte[] from) {
    KeyRange all = keys.dueRange(topic, p);
    byte[] begin = from == null || ByteArrays.compare(from, all.begin()) < 0 ? all.begin() : from;
    return ByteArrays.compare(begin, all.end()) >= 0 ? null : new KeyRange(begin, all.end());
  }

  /** The partition's next position to assign (= number of events ever logged). */
  long head(Transaction tx, String topic, int p) {
    return Context.readLong(tx, keys.seq(topic, p), 0);
  }

  /** Stored log entries from {@code from}, as (position, bytes). */
  List<Stored> readStored(Transaction tx, String topic, int p, long from, int limit) {
    try (KeyValueCursor c = tx.scan(keys.logFrom(topic, p, from), ScanOptions.FORWARD.withLimit(limit))) {
      return stored(c.toList());
    }
  }

  /** Log entries as read by a scan of {@link Keys#logFrom}. */
  List<Stored> stored(List<KeyValue> rows) {
    List<Stored> out = new ArrayList<>(rows.size());
    for (KeyValue kv : rows) {
      out.add(new Stored(keys.logPosition(kv.key()), kv.value()));
    }
    return out;
  }

  public List<Event> read(String topic, int p, long from, int limit) {
    if (limit < 1 || from < 0) {
      throw new InvalidArgumentException("read needs from >= 0 and limit >= 1",
          Map.of("from", from, "limit", limit));
    }
    TopicConfig config = ctx.requireTopic(topic);
    if (p < 0 || p >= config.partitions()) {
      throw new InvalidArgumentException("partition out of range", Map.of("partition", p));
    }
    return ctx.tito.read(tx -> {
      List<Event> out = new ArrayList<>();
      for (Stored s : readStored(tx, topic, p, from, limit)) {
        out.add(EventCodec.decode(topic, p, s.position(), s.bytes()));
      }
      return out;
    });
  }

  public long head(String topic, int p) {
    ctx.requireTopic(topic);
    return ctx.tito.read(tx -> head(tx, topic, p));
  }

  /** A log entry as stored. */
  record Stored(long position, byte[] bytes) {}
}
