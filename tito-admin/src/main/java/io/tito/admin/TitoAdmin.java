package io.tito.admin;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.IndexBuildProgress;
import io.tito.data.IndexState;
import io.tito.data.ModelStore;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionStatus;
import io.tito.pubsub.StartPosition;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The operations of the operator tools, over one {@link Tito} store: the CLI, the HTTP admin
 * server and the web console all call these, and these call only the public API of Tito
 * ({@link Topics}, {@link DataStore}). One class per area would be as good; the areas are kept
 * apart by method name prefixes so that new modules (event store, documents, backup) add theirs.
 *
 * <p>Models: the indexes of every table are read from the store; building one needs the model's
 * definition, so only models registered in this process (through {@code
 * Tito.builder().with(DataStore.models(...))}) can be built. Thread-safe.
 */
public final class TitoAdmin {

  /** Largest page any listing returns. */
  public static final int MAX_LIMIT = 10_000;

  private final Tito tito;
  private final Topics topics;
  private final DataStore data;
  private final Map<String, IndexBuildProgress> builds = new ConcurrentHashMap<>();
  private final EventsAdmin events;

  private TitoAdmin(Tito tito) {
    this.tito = tito;
    this.topics = tito.topics();
    DataStore d;
    try {
      d = tito.module(DataStore.class);
    } catch (InvalidArgumentException e) {
      d = null;
    }
    this.data = d;
    this.events = eventsOf(tito);
  }

  private static EventsAdmin eventsOf(Tito tito) {
    try {
      return new EventsAdmin(tito.module(io.tito.events.EventStore.class));
    } catch (InvalidArgumentException e) {
      return null;
    }
  }

  /** The operations on {@code tito}; its models are those of its {@link DataStore}, if any. */
  public static TitoAdmin of(Tito tito) {
    if (tito == null) {
      throw new InvalidArgumentException("a Tito store is needed", Map.of());
    }
    return new TitoAdmin(tito);
  }

  /** The store. */
  public Tito tito() {
    return tito;
  }

  /**
   * The event store's operations (streams, projections, subscription groups, snapshots).
   *
   * @throws InvalidArgumentException if the store was built without {@code EventStore.builder()}
   */
  public EventsAdmin events() {
    if (events == null) {
      throw new InvalidArgumentException(
          "the store has no event store: build it with .with(EventStore.builder())", Map.of());
    }
    return events;
  }

  /** Whether the store has an event store ({@link #events()} works). */
  public boolean hasEvents() {
    return events != null;
  }

  // ---- topics ----

  /**
   * Topics that modules keep for themselves and that the listings leave out unless asked: the
   * event store's consumer topic ({@code EventStore.CONSUMER_TOPIC}, {@code $events}), whose
   * groups are projections and subscription groups (see {@link #events()}).
   */
  public static final java.util.Set<String> HIDDEN_TOPICS =
      java.util.Set.of(io.tito.events.EventStore.CONSUMER_TOPIC);

  /** Every topic but the {@linkplain #HIDDEN_TOPICS hidden} ones, with its groups and event count. */
  public List<TopicInfo> topics() {
    return topics(false);
  }

  /**
   * Every topic with its groups and event count; the {@linkplain #HIDDEN_TOPICS hidden} ones too
   * when {@code includeHidden}. A hidden topic can always be named ({@link #topic(String)}).
   */
  public List<TopicInfo> topics(boolean includeHidden) {
    List<TopicInfo> out = new ArrayList<>();
    for (String name : topics.topicNames()) {
      if (includeHidden || !HIDDEN_TOPICS.contains(name)) {
        out.add(topic(name));
      }
    }
    return out;
  }

  /** One topic. @throws NotFoundException if it does not exist */
  public TopicInfo topic(String name) {
    TopicConfig c = topics.topic(name);
    long events = 0;
    for (int p = 0; p < c.partitions(); p++) {
      events += topics.head(name, p);
    }
    return new TopicInfo(name, c.partitions(), c.retention(), events, topics.groups(name));
  }

  /** Every group of a topic with its partitions' status. */
  public List<GroupInfo> groups(String topic) {
    List<GroupInfo> out = new ArrayList<>();
    for (String g : topics.groups(topic)) {
      out.add(group(topic, g));
    }
    return out;
  }

  /** One group. @throws NotFoundException if the topic or group does not exist */
  public GroupInfo group(String topic, String group) {
    List<PartitionStatus> partitions = topics.groupStatus(topic, group);
    return new GroupInfo(topic, group, topics.members(topic, group),
        topics.deadLetterCount(topic, group), partitions);
  }

  // ---- groups ----

  /** Resets one partition's checkpoint; see {@link Topics#resetGroup(String, String, int, long)}. */
  public GroupInfo resetGroup(String topic, String group, int partition, long position) {
    topics.resetGroup(topic, group, partition, position);
    return group(topic, group);
  }

  /** Resets every partition; see {@link Topics#resetGroup(String, String, StartPosition)}. */
  public GroupInfo resetGroup(String topic, String group, StartPosition start) {
    topics.resetGroup(topic, group, start);
    return group(topic, group);
  }

  // ---- dead letters ----

  /** Up to {@code limit} dead letters of a group, ordered by event id. */
  public List<DeadLetter> deadLetters(String topic, String group, int limit) {
    requireGroup(topic, group);
    return topics.deadLetters(topic, group, checkLimit(limit));
  }

  /** One dead letter. @throws NotFoundException if there is none with that id */
  public DeadLetter deadLetter(String topic, String group, UUID id) {
    return topics.deadLetter(topic, group, id).orElseThrow(() -> new NotFoundException(
        "dead letter not found", Map.of("topic", topic, "group", group, "id", id)));
  }

  /**
   * How many events a group ever dead-lettered (see {@link Topics#deadLetteredTotal}).
   *
   * @throws NotFoundException if the topic does not exist
   */
  public long deadLetteredTotal(String topic, String group) {
    return topics.deadLetteredTotal(topic, group);
  }

  /** Requeues one dead letter. @throws NotFoundException if there is none with that id */
  public void requeue(String topic, String group, UUID id) {
    topics.requeue(topic, group, id);
  }

  /** Requeues every dead letter of a group; returns how many. */
  public int requeueAll(String topic, String group) {
    requireGroup(topic, group);
    return topics.requeueAll(topic, group);
  }

  /** Deletes one dead letter. @throws NotFoundException if there is none with that id */
  public void deleteDeadLetter(String topic, String group, UUID id) {
    if (!topics.deleteDeadLetter(topic, group, id)) {
      throw new NotFoundException("dead letter not found",
          Map.of("topic", topic, "group", group, "id", id));
    }
  }

  // ---- scheduled events ----

  /**
   * Up to {@code limit} scheduled events of a topic not yet in its log, by due time over all
   * partitions, filtered by {@code which} against the store's clock.
   */
  public List<Event> scheduled(String topic, Scheduled which, int limit) {
    int n = checkLimit(limit);
    int partitions = topics.topic(topic).partitions();
    Instant now = tito.clock().instant();
    List<Event> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      for (Event e : topics.scheduled(topic, p, n)) {
        boolean due = !e.deliverAt().isAfter(now);
        if (which == Scheduled.ALL || (which == Scheduled.DUE) == due) {
          all.add(e);
        }
      }
    }
    all.sort(Comparator.comparing(Event::deliverAt).thenComparing(Event::partition));
    return all.size() > n ? List.copyOf(all.subList(0, n)) : all;
  }

  // ---- models ----

  /** Every table with stored index states or a model registered here, sorted by table. */
  public List<ModelInfo> models() {
    Map<String, Map<String, IndexState>> stored = new java.util.TreeMap<>(
        data == null ? Map.of() : data.storedIndexStates());
    if (data != null) {
      for (String t : data.tables()) {
        stored.computeIfAbsent(t, k -> new LinkedHashMap<>());
      }
    }
    List<ModelInfo> out = new ArrayList<>();
    stored.forEach((table, states) -> out.add(info(table, states)));
    return out;
  }

  /** One table's indexes. @throws NotFoundException if no index or model is known for it */
  public ModelInfo model(String table) {
    return models().stream().filter(m -> m.table().equals(table)).findFirst()
        .orElseThrow(() -> new NotFoundException("model not found", Map.of("table", table)));
  }

  private ModelInfo info(String table, Map<String, IndexState> stored) {
    Map<String, IndexState> states = new LinkedHashMap<>(stored);
    Optional<ModelStore<?>> store = data == null ? Optional.empty() : data.store(table);
    store.ifPresent(s -> s.model().indexes()
        .forEach(ix -> states.putIfAbsent(ix.name(), IndexState.DISABLED)));
    return new ModelInfo(table, store.isPresent(), states);
  }

  /**
   * Builds an index online (see {@code ModelStore.buildIndex}), reporting each batch to {@code
   * progress} (may be null) and to {@link #indexBuilds()}.
   *
   * @throws InvalidArgumentException if the model is not registered in this process
   */
  public IndexBuildProgress buildIndex(String table, String index, int batchSize,
      Consumer<IndexBuildProgress> progress) {
    ModelStore<?> store = (data == null ? Optional.<ModelStore<?>>empty() : data.store(table))
        .orElseThrow(() -> new InvalidArgumentException(
            "building an index needs its model registered in this process (use the "
                + "application's admin server or TitoCli.execute with its store)",
            Map.of("table", table)));
    return store.buildIndex(index, batchSize, p -> {
      builds.put(table + "/" + index, p);
      if (progress != null) {
        progress.accept(p);
      }
    });
  }

  /**
   * Drops an index no registered model defines (see {@code DataStore.dropIndex}).
   *
   * @throws NotFoundException if the store has no such index
   */
  public void dropIndex(String table, String index) {
    Map<String, IndexState> stored = data == null ? Map.of()
        : data.storedIndexStates().getOrDefault(table, Map.of());
    if (data == null || !stored.containsKey(index)) {
      throw new NotFoundException("index not found", Map.of("table", table, "index", index));
    }
    data.dropIndex(table, index);
    builds.remove(table + "/" + index);
  }

  /** The last reported progress of every index build run through this object, by "table/index". */
  public Map<String, IndexBuildProgress> indexBuilds() {
    return Map.copyOf(builds);
  }

  // ---- checks ----

  private void requireGroup(String topic, String group) {
    if (!topics.groups(topic).contains(group)) {
      throw new NotFoundException("group not found", Map.of("topic", topic, "group", group));
    }
  }

  private static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidArgumentException("limit must be 1 to " + MAX_LIMIT, Map.of("limit", limit));
    }
    return limit;
  }
}
