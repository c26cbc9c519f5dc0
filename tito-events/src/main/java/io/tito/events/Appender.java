package io.tito.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.internal.events.AllEntry;
import io.tito.internal.events.EventKeys;
import io.tito.internal.events.EventRows;
import io.tito.internal.events.GlobalOrder;
import io.tito.internal.events.StoredEvent;
import io.tito.internal.events.StreamHeader;
import io.tito.internal.events.StreamPositions;
import io.tito.Stamp;
import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Validates and writes appends (see {@link EventStore#append(Transaction, AppendRequest)}). */
final class Appender {

  /**
   * An append done in a transaction: its result and, if it wrote, its pending first position and
   * the events as stored (null for a recognised retry).
   */
  record Done(AppendResult result, GlobalOrder.Pending pending, List<StoredEvent> events) {}

  private final EventKeys keys;
  private final GlobalOrder order;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final int maxEvents;
  private final StreamHeads heads;

  Appender(EventKeys keys, GlobalOrder order, ObjectMapper mapper, Clock clock, int maxEvents,
      StreamHeads heads) {
    this.heads = heads;
    this.keys = keys;
    this.order = order;
    this.mapper = mapper;
    this.clock = clock;
    this.maxEvents = maxEvents;
  }

  /**
   * @param ownTransaction whether {@code tx} is the store's own (retried by it): only then does a
   *     new stream's append guess its header absent, so that in a caller's transaction a wrong
   *     expected version still fails the append itself (a remembered header is stale only once
   *     another process wrote the stream)
   */
  Done append(Transaction tx, AppendRequest req, boolean ownTransaction) {
    List<StoredEvent> events = prepare(req);
    String stream = req.streamId();
    // Content hashes serve only idempotency (a key, or explicit event ids): skip them otherwise.
    boolean explicitIds = false;
    for (EventData d : req.events()) {
      explicitIds |= d.hasExplicitId();
    }
    List<byte[]> hashes = null;
    byte[] appendHash = null;
    if (req.idempotencyKey() != null || explicitIds) {
      hashes = new ArrayList<>(events.size());
      for (StoredEvent e : events) {
        hashes.add(e.contentHash(stream));
      }
      appendHash = StoredEvent.combine(hashes);
    }
    if (req.idempotencyKey() != null) {
      byte[] prior = tx.get(keys.idempotency(req.idempotencyKey()));
      if (prior != null) {
        Tuple t = Tuple.unpack(prior);
        if (t.getString(0).equals(stream) && Arrays.equals(t.getBytes(3), appendHash)) {
          return new Done(new AppendResult(stream, t.getLong(1), t.getLong(2),
              originalPosition(tx, stream, t.getLong(1)), true), null, null);
        }
        throw new IdempotencyConflictException("idempotency key was used by an append with other content",
            Map.of("idempotencyKey", req.idempotencyKey(), "stream", stream, "firstStream", t.getString(0)));
      }
    }
    Done dup = explicitIds ? checkEventIds(tx, req, events, hashes) : null;
    if (dup != null) {
      return dup;
    }
    byte[] headerKey = keys.header(stream);
    StreamHeader header = knownHeader(tx, stream, headerKey, req.expected(), ownTransaction);
    if (header == null) {
      header = StreamHeader.decode(tx.get(headerKey));
    }
    if (header.deleted()) {
      throw new StreamDeletedException(stream);
    }
    if (!req.expected().accepts(header.version())) {
      throw new WrongExpectedVersionException(stream, req.expected(), header.version());
    }
    long first = header.version() + 1;
    List<byte[]> stored = new ArrayList<>(events.size());
    for (StoredEvent e : events) {
      stored.add(e.encode());
    }
    List<GlobalOrder.Entry> entries = new ArrayList<>(1);
    // The stream's name is encoded once for all its event rows and $all entries.
    byte[] eventKeys = keys.streamEvents(stream).key();
    AllEntry.Encoder allEntries = AllEntry.encoder(stream);
    for (EventRows.Row row : EventRows.pack(first, stored)) {
      tx.set(new TupleWriter(eventKeys, 9).add(row.first()).toBytes(), row.value());
      List<String> types = new ArrayList<>(row.count());
      for (int j = 0; j < row.count(); j++) {
        long v = row.first() + j;
        int i = Math.toIntExact(v - first);
        types.add(events.get(i).type());
        if (req.events().get(i).hasExplicitId()) {
          tx.set(keys.eventId(events.get(i).eventId()), Tuple.of(stream, v, hashes.get(i)).pack());
        }
      }
      entries.add(new GlobalOrder.Entry(allEntries.encode(row.first(), types), row.count()));
    }
    long last = first + events.size() - 1;
    byte[] newHeader = new StreamHeader(last, header.truncatedBefore(), false).encode();
    tx.set(headerKey, newHeader);
    tx.afterCommit(() -> heads.put(stream, newHeader));
    if (req.idempotencyKey() != null) {
      tx.set(keys.idempotency(req.idempotencyKey()), Tuple.of(stream, first, last, appendHash).pack());
    }
    GlobalOrder.Pending pending = order.write(tx, keys.positionRefPrefix(stream, first),
        Tuple.of(last).pack(), entries);
    return new Done(new AppendResult(stream, first, last, pending.known(), false), pending, events);
  }

  /**
   * The stream's header as this process last committed it, if it has it and the append would go
   * through with it (live stream, expected version accepted), or an absent header for an append
   * that requires a new stream to a stream unknown here, made an {@linkplain Transaction#expect
   * expectation} of the transaction; else null, and the caller reads it. A guess that this
   * transaction's own writes already contradict is dropped here; one the snapshot contradicts
   * fails the commit with a conflict (retried, then read).
   */
  private StreamHeader knownHeader(Transaction tx, String stream, byte[] headerKey,
      ExpectedVersion expected, boolean guessNew) {
    byte[] known = heads.take(stream);
    if (StreamHeads.isReadMark(known)) {
      return null; // a guess failed, or is in flight: read
    }
    if (known == null) {
      // A new stream (NO_STREAM, exact(0)): its header is absent, unless a wrong guess was made.
      boolean onlyNew = expected.accepts(0) && !expected.accepts(1);
      if (!guessNew || !onlyNew || !heads.guessAbsent(stream)) {
        return null;
      }
      try {
        tx.expect(headerKey, null);
      } catch (io.tito.ConflictException e) {
        return null;
      }
      return StreamHeader.decode(null);
    }
    StreamHeader header = StreamHeader.decode(known);
    if (header.deleted() || !expected.accepts(header.version())) {
      return null;
    }
    try {
      tx.expect(headerKey, known);
    } catch (io.tito.ConflictException e) {
      return null;
    }
    return header;
  }

  /**
   * A recognised retry by explicit event ids, or null if none of the ids is known.
   *
   * @throws IdempotencyConflictException if some ids are known but the append is not a retry
   */
  private Done checkEventIds(Transaction tx, AppendRequest req, List<StoredEvent> events, List<byte[]> hashes) {
    List<byte[]> idKeys = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (req.events().get(i).hasExplicitId()) {
        idKeys.add(keys.eventId(events.get(i).eventId()));
      }
    }
    if (idKeys.isEmpty()) {
      return null;
    }
    List<byte[]> found = tx.getAll(idKeys);
    if (found.stream().allMatch(v -> v == null)) {
      return null;
    }
    boolean retry = idKeys.size() == events.size();
    long first = -1;
    for (int i = 0; retry && i < found.size(); i++) {
      byte[] v = found.get(i);
      if (v == null) {
        retry = false;
        break;
      }
      Tuple t = Tuple.unpack(v);
      if (i == 0) {
        first = t.getLong(1);
      }
      retry = t.getString(0).equals(req.streamId()) && t.getLong(1) == first + i
          && Arrays.equals(t.getBytes(2), hashes.get(i));
    }
    if (!retry) {
      throw new IdempotencyConflictException("event ids were appended before with other content",
          Map.of("stream", req.streamId()));
    }
    return new Done(new AppendResult(req.streamId(), first, first + events.size() - 1,
        originalPosition(tx, req.streamId(), first), true), null, null);
  }

  /** The committed position of {@code version}, or null if unknown (truncated, or not committed yet). */
  private Stamp originalPosition(Transaction tx, String stream, long version) {
    return StreamPositions.load(tx, keys, stream, version, version).positionOf(version);
  }

  private List<StoredEvent> prepare(AppendRequest req) {
    if (req == null) {
      throw new InvalidArgumentException("append request must not be null", Map.of());
    }
    EventStore.checkName(req.streamId(), "streamId");
    if (req.expected() == null) {
      throw new InvalidArgumentException("expected version must not be null", Map.of("stream", req.streamId()));
    }
    if (req.idempotencyKey() != null) {
      EventStore.checkName(req.idempotencyKey(), "idempotencyKey");
    }
    List<EventData> data = req.events();
    if (data == null || data.isEmpty()) {
      throw new InvalidArgumentException("an append needs at least one event", Map.of("stream", req.streamId()));
    }
    if (data.size() > maxEvents) {
      throw new io.tito.LimitExceededException("too many events in one append",
          Map.of("stream", req.streamId(), "events", data.size(), "maxEventsPerAppend", maxEvents));
    }
    List<StoredEvent> out = new ArrayList<>(data.size());
    for (EventData d : data) {
      if (d == null) {
        throw new InvalidArgumentException("event must not be null", Map.of("stream", req.streamId()));
      }
      EventStore.checkName(d.type(), "type");
      out.add(new StoredEvent(d.eventId(), d.type(), payload(d, req.streamId()), d.headers(),
          d.causationId(), d.correlationId(), d.createdAt() != null ? d.createdAt() : clock.instant()));
    }
    return out;
  }

  /**
   * Checks that {@code raw} is exactly one well-formed JSON value by streaming its tokens (no tree
   * is built); strings are decoded so that bad escapes and bad UTF-8 fail as a tree read would.
   */
  private void checkOneJsonValue(byte[] raw) throws IOException {
    try (JsonParser parser = mapper.createParser(raw)) {
      JsonToken t = parser.nextToken();
      if (t == null) {
        throw new IOException("empty payload");
      }
      int depth = 0;
      while (true) {
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        } else if (t == JsonToken.VALUE_STRING) {
          parser.getTextLength();
        }
        if (depth == 0) {
          break;
        }
        t = parser.nextToken();
        if (t == null) {
          throw new IOException("unexpected end of the JSON value");
        }
      }
      if (parser.nextToken() != null) {
        throw new IOException("trailing content after the JSON value");
      }
    }
  }

  private byte[] payload(EventData d, String stream) {
    byte[] raw = d.rawPayload();
    try {
      if (raw == null) {
        return mapper.writeValueAsBytes(d.payloadObject());
      }
      checkOneJsonValue(raw);
      return raw;
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("event payload is not valid JSON or cannot be serialised",
          Map.of("stream", stream, "type", d.type(), "reason", String.valueOf(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new InvalidArgumentException("event payload is not valid JSON",
          Map.of("stream", stream, "type", d.type(), "reason", String.valueOf(e.getMessage())));
    }
  }
}
