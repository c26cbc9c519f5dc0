package io.tito.docs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.RetryPolicy;
import io.tito.Transaction;
import io.tito.VersionConflictException;
import io.tito.events.AggregateRepository;
import io.tito.events.AppendRequest;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.events.Loaded;
import io.tito.pubsub.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A unit of work over documents, event streams, aggregates and outbox topics
 * ({@link DocumentStore#openSession()}).
 *
 * <ul>
 *   <li><b>Identity map</b>: loading the same document twice gives the same object; the session
 *       remembers the version it loaded (or that it was absent).
 *   <li><b>Staged changes</b>: {@link #store}, {@link #patch}, {@link #delete}, {@link #append},
 *       {@link #commitAggregate} and {@link #publish} write nothing until {@link #saveChanges()}.
 *       A loaded document changed in place (a mutable {@code ObjectNode} or class) is written
 *       too.
 *   <li><b>{@link #saveChanges()}</b> commits all of it in one transaction, in staging order, and
 *       checks the version of every document the session loaded, changed or not (a document
 *       loaded as absent must still be absent): a document written by someone else since it was
 *       loaded fails the whole save with {@link VersionConflictException}. Nothing is retried
 *       silently (the transaction runs once; a conflict with a concurrent transaction surfaces as
 *       a {@code ConflictException}). After a failed save nothing is written and the staged
 *       changes are kept; the caller decides (usually: open a new session and redo the work).
 *   <li><b>Defaults</b>: the store's session headers are added to every outbox message and to
 *       events made with {@link #event}.
 * </ul>
 *
 * <p>Not thread-safe: one session per unit of work.
 */
public final class DocumentSession {

  private record Key(String collection, String id) {}

  private static final class Entry {
    final DocCollection<Object> collection;
    final String id;
    Object value;
    long version; // 0: absent when loaded
    ObjectNode snapshot; // body as loaded or last saved, for change detection
    boolean loaded;

    Entry(DocCollection<Object> collection, String id) {
      this.collection = collection;
      this.id = id;
    }
  }

  private interface Step {
    void run(Transaction tx, Map<Key, Long> versions);
  }

  private final DocumentStore store;
  private final Map<String, String> headers;
  private final Map<Key, Entry> identity = new LinkedHashMap<>();
  private final List<Step> steps = new ArrayList<>();
  private final List<Key> staged = new ArrayList<>();

  DocumentSession(DocumentStore store, Map<String, String> headers) {
    this.store = store;
    this.headers = Map.copyOf(headers);
  }

  /** The headers added to messages and to events made with {@link #event}. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Document {@code id} of {@code collection}: from the identity map when already loaded or
   * stored in this session, else read (and remembered with its version, or as absent).
   */
  public <T> Optional<T> load(DocCollection<T> collection, String id) {
    Entry e = identity.get(key(collection, id));
    if (e == null) {
      e = new Entry(erase(collection), id);
      e.loaded = true;
      Optional<Doc<T>> doc = collection.get(id);
      if (doc.isPresent()) {
        e.value = doc.get().value();
        e.version = doc.get().version();
        e.snapshot = collection.body(doc.get().value());
      }
      identity.put(key(collection, id), e);
    }
    @SuppressWarnings("unchecked")
    T value = (T) e.value;
    return Optional.ofNullable(value);
  }

  /** The version this session knows for the document: loaded or saved, 0 when absent. */
  public long versionOf(DocCollection<?> collection, String id) {
    Entry e = identity.get(key(collection, id));
    return e == null ? 0 : e.version;
  }

  /**
   * Stages writing {@code doc} as document {@code id}: a replace checked against the loaded
   * version when the session loaded it, an insert when it was loaded as absent, else an upsert.
   */
  public <T> void store(DocCollection<T> collection, String id, T doc) {
    Key k = key(collection, id);
    Entry e = identity.computeIfAbsent(k, x -> new Entry(erase(collection), id));
    e.value = doc;
    collection.body(doc); // refuses null and non-objects now, not at save time
    if (!staged.contains(k)) {
      staged.add(k);
    }
  }

  /** Stages a patch, checked against the loaded version when the session loaded it. */
  public void patch(DocCollection<?> collection, String id, DocPatch patch) {
    Key k = key(collection, id);
    DocCollection<Object> c = erase(collection);
    steps.add((tx, versions) -> {
      Entry e = identity.get(k);
      Doc<Object> d = e != null && e.loaded
          ? c.patch(tx, id, patch, versions.getOrDefault(k, e.version))
          : c.patch(tx, id, patch);
      versions.put(k, d.version());
    });
  }

  /** Stages a hard delete (the loaded version must still be current). */
  public void delete(DocCollection<?> collection, String id) {
    Key k = key(collection, id);
    DocCollection<Object> c = erase(collection);
    staged.remove(k);
    steps.add((tx, versions) -> {
      c.delete(tx, id);
      versions.put(k, 0L);
    });
  }

  /** An event with the session headers. */
  public EventData event(String type, Object payload) {
    EventData.Builder b = EventData.builder(type).payload(payload);
    headers.forEach(b::header);
    return b.build();
  }

  /** Stages appending events to a stream (needs the {@link EventStore} module). */
  public void append(String streamId, ExpectedVersion expected, EventData... events) {
    AppendRequest request = AppendRequest.of(streamId, expected, List.of(events));
    EventStore es = eventStore();
    steps.add((tx, versions) -> es.append(tx, request));
  }

  /** Stages committing new events of a loaded aggregate (validated and snapshotted as usual). */
  public <S> void commitAggregate(AggregateRepository<S> repository, Loaded<S> loaded,
      List<EventData> events) {
    steps.add((tx, versions) -> repository.commit(tx, loaded, events));
  }

  /** Stages publishing a message (session headers added, the message's own win). */
  public void publish(String topic, Message message) {
    Map<String, String> h = new HashMap<>(headers);
    h.putAll(message.headers());
    Message m = message.withHeaders(h);
    steps.add((tx, versions) -> store.tito().topics().publish(tx, topic, m));
  }

  /** Number of staged changes (including loaded documents changed in place). */
  public int pendingChanges() {
    return steps.size() + staged.size() + changedInPlace().size();
  }

  /**
   * Commits every staged change in one transaction, after checking the versions of everything
   * loaded (see the class documentation). On success the identity map holds the new versions
   * and nothing is staged any more.
   *
   * @throws VersionConflictException if a loaded document changed meanwhile (nothing written)
   */
  public void saveChanges() {
    List<Key> writes = new ArrayList<>(staged);
    for (Key k : changedInPlace()) {
      if (!writes.contains(k)) {
        writes.add(k);
      }
    }
    Map<Key, Long> result = store.tito().transaction(RetryPolicy.NONE, tx -> {
      Map<Key, Long> versions = new HashMap<>();
      for (Map.Entry<Key, Entry> me : identity.entrySet()) {
        Entry e = me.getValue();
        if (e.loaded && !writes.contains(me.getKey())) {
          long now = e.collection.get(tx, e.id).map(Doc::version).orElse(0L);
          if (now != e.version) {
            throw conflict(e, now);
          }
        }
      }
      for (Key k : writes) {
        Entry e = identity.get(k);
        Doc<Object> d;
        if (!e.loaded) {
          d = e.collection.put(tx, e.id, e.value);
        } else if (e.version == 0) {
          if (e.collection.getIncludingDeleted(tx, e.id).isPresent()) {
            throw conflict(e, e.collection.getIncludingDeleted(tx, e.id).get().version());
          }
          d = e.collection.insert(tx, e.id, e.value);
        } else {
          d = e.collection.replace(tx, e.id, e.value, e.version);
        }
        versions.put(k, d.version());
      }
      for (Step s : steps) {
        s.run(tx, versions);
      }
      return versions;
    });
    result.forEach((k, v) -> {
      Entry e = identity.get(k);
      if (e == null) {
        return;
      }
      if (v == 0) {
        identity.remove(k);
      } else {
        e.version = v;
        e.loaded = true;
        e.snapshot = e.collection.body(e.value);
      }
    });
    steps.clear();
    staged.clear();
  }

  /** Forgets staged changes and the identity map. */
  public void clear() {
    steps.clear();
    staged.clear();
    identity.clear();
  }

  private List<Key> changedInPlace() {
    List<Key> out = new ArrayList<>();
    identity.forEach((k, e) -> {
      if (e.loaded && e.value != null && e.snapshot != null
          && !e.collection.body(e.value).equals(e.snapshot)) {
        out.add(k);
      }
    });
    return out;
  }

  private EventStore eventStore() {
    try {
      return store.tito().module(EventStore.class);
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("appending events needs the EventStore module",
          Map.of(), e);
    }
  }

  private static VersionConflictException conflict(Entry e, long now) {
    return new VersionConflictException("document changed since the session loaded it",
        Map.of("collection", e.collection.name(), "id", e.id, "expected", e.version,
            "actual", now));
  }

  private static Key key(DocCollection<?> c, String id) {
    if (c == null || id == null || id.isEmpty()) {
      throw new InvalidArgumentException("a session needs a collection and a document id",
          Map.of());
    }
    return new Key(c.name(), id);
  }

  @SuppressWarnings("unchecked")
  private static DocCollection<Object> erase(DocCollection<?> c) {
    return (DocCollection<Object>) c;
  }
}
