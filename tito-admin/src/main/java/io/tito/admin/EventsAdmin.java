package io.tito.admin;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Stamp;
import io.tito.events.AggregateRepository;
import io.tito.events.AllSlice;
import io.tito.events.EventDeadLetter;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.Projection;
import io.tito.events.ProjectionStatus;
import io.tito.events.Projections;
import io.tito.events.Snapshotter;
import io.tito.events.StartAt;
import io.tito.events.StreamInfo;
import io.tito.events.StreamSlice;
import io.tito.pubsub.SubscribeOptions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The operator's operations on the event store ({@code tito-events}) of one store: streams and
 * aliases, {@code $all}, projections and subscription groups (status, pause, resume, dead
 * letters), resets, rebuilds, runs and deletion of projections, resets and deletion of
 * subscription groups, and snapshot compaction. Reached through
 * {@link TitoAdmin#events()}; the CLI, the HTTP API and the console call these.
 *
 * <p><b>Handlers live in the application.</b> Status, pause, resume, reset, delete and dead
 * letters need only the store, so they work from any process (the CLI by URL included).
 * Rebuilding and running a projection need its {@link Projection} (its {@code apply} and {@code
 * clear}), and compacting snapshots needs the {@link AggregateRepository} (its fold): the application registers them
 * with {@link #register(Projection)} and {@link #register(AggregateRepository)} on the admin of
 * its admin server ({@code server.admin().events().register(balances)}) or of {@code
 * TitoCli.executeWith(TitoAdmin, ...)}; elsewhere those operations throw {@link
 * InvalidArgumentException} saying so. Thread-safe.
 */
public final class EventsAdmin {

  /** Default timeout of {@link #runUntilIdle} and {@link #runOnce}. */
  public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(1);

  private static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

  private final EventStore store;
  private final Map<String, Registered> projections = new ConcurrentHashMap<>();
  private final Map<String, AggregateRepository<?>> repositories = new ConcurrentHashMap<>();

  EventsAdmin(EventStore store) {
    this.store = store;
  }

  /** The event store. */
  public EventStore store() {
    return store;
  }

  // ---- registration

  /** A projection's handler and the options its runs here use. */
  private record Registered(Projection projection, SubscribeOptions options) {}

  /** {@link #register(Projection, SubscribeOptions)} with {@link SubscribeOptions#DEFAULTS}. */
  public EventsAdmin register(Projection projection) {
    return register(projection, SubscribeOptions.DEFAULTS);
  }

  /**
   * Makes {@code projection} rebuildable and runnable here, its runs using {@code options} (max
   * attempts, backoff, fetch size...: give those the application's runners use); replaces one of
   * the same name.
   */
  public EventsAdmin register(Projection projection, SubscribeOptions options) {
    if (projection == null || options == null) {
      throw new InvalidArgumentException("projection and options must not be null", Map.of());
    }
    projections.put(projection.name(), new Registered(projection, options));
    return this;
  }

  /** Makes the snapshots of {@code repository}'s aggregate compactable here. */
  public EventsAdmin register(AggregateRepository<?> repository) {
    if (repository == null) {
      throw new InvalidArgumentException("repository must not be null", Map.of());
    }
    repositories.put(repository.aggregate().name(), repository);
    return this;
  }

  // ---- streams

  /**
   * The stream id of an alias, without creating it.
   *
   * @throws NotFoundException if the alias was never used
   */
  public String resolveAlias(String alias) {
    String id = store.findAlias(alias);
    if (id == null) {
      throw new NotFoundException("alias not found", Map.of("alias", alias));
    }
    return id;
  }

  /** A stream's version, truncation point and deleted flag (version 0: no event). */
  public StreamInfo streamInfo(String streamId) {
    return store.streamInfo(streamId);
  }

  /**
   * A page of a stream from {@code fromVersion} (for a backward read, {@link EventStore#END}
   * means the last event), at most {@code limit} events of {@code types} (empty: every type).
   *
   * @throws io.tito.events.StreamDeletedException if the stream was tombstoned (a not-found)
   */
  public StreamSlice readStream(String streamId, long fromVersion, boolean backward, int limit,
      Set<String> types) {
    return store.readStream(streamId, fromVersion, checkLimit(limit), backward,
        new EventFilter(types == null ? Set.of() : types, ""));
  }

  /**
   * A page of {@code $all} after {@code after} ({@link Stamp#ZERO}: the beginning), at most
   * {@code limit} events of {@code types} (empty: every type) in streams starting with {@code
   * streamPrefix} (empty: every stream). Continue after the slice's last position.
   */
  public AllSlice readAll(Stamp after, int limit, Set<String> types, String streamPrefix) {
    return store.readAll(after, checkLimit(limit),
        new EventFilter(types == null ? Set.of() : types, streamPrefix == null ? "" : streamPrefix));
  }

  /** The highest position in {@code $all} ({@link Stamp#ZERO} if empty). */
  public Stamp headPosition() {
    return store.headPosition();
  }

  /**
   * A position as printed by {@link Stamp#toString()}: {@code <commit version>.<order>}, e.g.
   * {@code 1042.0}.
   *
   * @throws InvalidArgumentException if {@code text} is not such a position
   */
  public static Stamp parsePosition(String text) {
    int dot = text == null ? -1 : text.indexOf('.');
    try {
      if (dot > 0) {
        return new Stamp(Long.parseUnsignedLong(text.substring(0, dot)),
            Integer.parseInt(text.substring(dot + 1)));
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new InvalidArgumentException(
        "not a position: expected <commit version>.<order> such as 1042.0",
        Map.of("position", String.valueOf(text)));
  }

  // ---- projections and subscription groups

  /** Every known consumer of {@code kind} with its status, by name. */
  public List<EventConsumerInfo> consumers(EventConsumerKind kind) {
    Set<String> names = new TreeSet<>(kind == EventConsumerKind.PROJECTION
        ? store.projections().names() : store.subscriptions().names());
    List<EventConsumerInfo> out = new ArrayList<>();
    for (String name : names) {
      try {
        out.add(consumer(kind, name));
      } catch (NotFoundException e) {
        // removed between the two reads
      }
    }
    return out;
  }

  /** One consumer's status. @throws NotFoundException if it never ran */
  public EventConsumerInfo consumer(EventConsumerKind kind, String name) {
    ProjectionStatus status = kind == EventConsumerKind.PROJECTION
        ? store.projections().status(name) : store.subscriptions().status(name);
    int dead = deadLetters(kind, name, TitoAdmin.MAX_LIMIT).size();
    return new EventConsumerInfo(kind, status, dead,
        kind == EventConsumerKind.PROJECTION && projections.containsKey(name));
  }

  /** Pauses the consumer everywhere (its runners stop fetching); returns its status. */
  public EventConsumerInfo pause(EventConsumerKind kind, String name) {
    if (kind == EventConsumerKind.PROJECTION) {
      store.projections().pause(name);
    } else {
      store.subscriptions().pause(name);
    }
    return consumer(kind, name);
  }

  /** Resumes a paused consumer; returns its status. */
  public EventConsumerInfo resume(EventConsumerKind kind, String name) {
    if (kind == EventConsumerKind.PROJECTION) {
      store.projections().resume(name);
    } else {
      store.subscriptions().resume(name);
    }
    return consumer(kind, name);
  }

  /**
   * Moves a projection's checkpoint: it goes on after {@code after} ({@link Stamp#ZERO}: from the
   * beginning); its read model is left as it is (see {@link Projections#resetCheckpoint}).
   */
  public EventConsumerInfo resetProjection(String name, Stamp after) {
    store.projections().resetCheckpoint(name, after);
    return consumer(EventConsumerKind.PROJECTION, name);
  }

  /**
   * Moves a subscription group's checkpoint (see {@link io.tito.events.EventSubscriptions#reset}):
   * from any process, while its workers run; the worker holding its lease is fenced and goes on
   * from the new checkpoint. Failed attempts are cleared; dead letters are kept.
   *
   * @return the group's status after the reset
   * @throws NotFoundException if the group was never started
   */
  public EventConsumerInfo resetSubscription(String group, StartAt to) {
    store.subscriptions().reset(group, to);
    return consumer(EventConsumerKind.SUBSCRIPTION, group);
  }

  /**
   * Deletes a subscription group: its checkpoint, lease, members, requeued entries, dead letters
   * and pause flag (see {@link io.tito.events.EventSubscriptions#delete}). Its workers must be
   * closed first: a crashed worker counts as live until its membership expires (one lease
   * timeout).
   *
   * @throws NotFoundException if the group does not exist
   * @throws InvalidArgumentException if a worker of the group is live (nothing is deleted)
   */
  public void deleteSubscription(String group) {
    deleteConsumer(EventConsumerKind.SUBSCRIPTION, group, () -> store.subscriptions().delete(group));
  }

  /**
   * Deletes a projection's own state: its checkpoint, lease, members, requeued entries, dead
   * letters and pause flag (see {@link Projections#delete}). Its read model is the application's
   * and is left as it is. Its runners must be stopped first: a crashed runner counts as live
   * until its membership expires (one lease timeout). A later run starts it anew from the
   * beginning of {@code $all}.
   *
   * @param force the operator's confirmation (the CLI's {@code --force}, the HTTP API's {@code
   *     force=true}); without it nothing is deleted
   * @throws InvalidArgumentException without {@code force}, or if a runner of the projection is
   *     live (nothing is deleted)
   * @throws NotFoundException if the projection does not exist
   */
  public void deleteProjection(String name, boolean force) {
    if (!force) {
      throw new InvalidArgumentException("deleting a projection needs force: it drops its "
          + "checkpoint and dead letters (its read model is kept)", Map.of("projection", String.valueOf(name)));
    }
    deleteConsumer(EventConsumerKind.PROJECTION, name, () -> store.projections().delete(name));
  }

  /** Runs {@code delete}, saying which worker is live if refused and not-found if it did not exist. */
  private static void deleteConsumer(EventConsumerKind kind, String name, BooleanSupplier delete) {
    boolean projection = kind == EventConsumerKind.PROJECTION;
    String what = projection ? "projection" : "subscription group";
    String key = projection ? "projection" : "group";
    String worker = projection ? "runner" : "worker";
    boolean existed;
    try {
      existed = delete.getAsBoolean();
    } catch (InvalidArgumentException e) {
      Object live = e.context().get("worker");
      if (live == null) {
        throw e;
      }
      throw new InvalidArgumentException("the " + what + " has a live " + worker + ": close its "
          + worker + "s (a crashed one counts until its lease timeout) before deleting it",
          Map.of(key, name, "worker", live));
    }
    if (!existed) {
      throw new NotFoundException(what + " not found", Map.of(key, name));
    }
  }

  /**
   * A subscription group's reset target as the tools write it: {@code beginning}, {@code end},
   * {@code position:<commit version>.<order>} (or the bare position; the group goes on after it)
   * or {@code time:<ISO-8601 instant>} (the first event created at or after it).
   *
   * @throws InvalidArgumentException if {@code text} is none of these
   */
  public static StartAt parseStartAt(String text) {
    String t = text == null ? "" : text.trim();
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("beginning")) {
      return StartAt.BEGINNING;
    }
    if (lower.equals("end")) {
      return StartAt.END;
    }
    if (lower.startsWith("time:")) {
      try {
        return StartAt.time(Instant.parse(t.substring(5)));
      } catch (DateTimeException e) {
        throw new InvalidArgumentException("not a time: expected an ISO-8601 instant such as "
            + "time:2026-01-01T00:00:00Z", Map.of("to", t));
      }
    }
    if (lower.startsWith("position:")) {
      return StartAt.after(parsePosition(t.substring(9)));
    }
    if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
      return StartAt.after(parsePosition(t));
    }
    throw new InvalidArgumentException("not a start: expected beginning, end, position:<commit "
        + "version>.<order> (e.g. position:1042.0) or time:<ISO-8601 instant>",
        Map.of("to", String.valueOf(text)));
  }

  /**
   * Rebuilds a registered projection: clears its read model, drops its dead letters and moves its
   * checkpoint to the beginning in one transaction; its runners (any process) then replay.
   */
  public EventConsumerInfo rebuild(String name) {
    store.projections().rebuild(registered(name).projection());
    return consumer(EventConsumerKind.PROJECTION, name);
  }

  /** Runs a registered projection here for one batch of {@code batchSize} events of {@code $all}. */
  public EventConsumerInfo runOnce(String name, int batchSize, Duration timeout) {
    Registered r = registered(name);
    SubscribeOptions options = r.options().toBuilder().fetchSize(checkLimit(batchSize)).build();
    store.projections().runOnce(r.projection(), options, checkTimeout(timeout));
    return consumer(EventConsumerKind.PROJECTION, name);
  }

  /**
   * Runs a registered projection here until it has consumed what {@code $all} held when called,
   * reporting its status to {@code progress} (may be null) about four times a second.
   *
   * @throws io.tito.events.CatchUpTimeoutException if that takes longer than {@code timeout}
   */
  public EventConsumerInfo runUntilIdle(String name, Duration timeout,
      Consumer<ProjectionStatus> progress) {
    Registered r = registered(name);
    Duration limit = checkTimeout(timeout);
    if (progress == null) {
      store.projections().runUntilIdle(r.projection(), r.options(), limit);
    } else {
      Progress.watch(() -> store.projections().runUntilIdle(r.projection(), r.options(), limit),
          () -> progress.accept(store.projections().status(name)), PROGRESS_EVERY);
    }
    return consumer(EventConsumerKind.PROJECTION, name);
  }

  // ---- dead letters

  /** Up to {@code limit} dead letters of a consumer. */
  public List<EventDeadLetter> deadLetters(EventConsumerKind kind, String name, int limit) {
    int n = checkLimit(limit);
    return kind == EventConsumerKind.PROJECTION ? store.projections().deadLetters(name, n)
        : store.subscriptions().deadLetters(name, n);
  }

  /** One dead letter. @throws NotFoundException if the consumer has none with that id */
  public EventDeadLetter deadLetter(EventConsumerKind kind, String name, UUID id) {
    return deadLetters(kind, name, TitoAdmin.MAX_LIMIT).stream().filter(d -> d.id().equals(id))
        .findFirst().orElseThrow(() -> deadLetterNotFound(kind, name, id));
  }

  /** Requeues one dead letter: handled before the consumer goes on with {@code $all}. */
  public void requeue(EventConsumerKind kind, String name, UUID id) {
    deadLetter(kind, name, id);
    if (kind == EventConsumerKind.PROJECTION) {
      store.projections().requeue(name, id);
    } else {
      store.subscriptions().requeue(name, id);
    }
  }

  /** Requeues every dead letter of a consumer; returns how many. */
  public int requeueAll(EventConsumerKind kind, String name) {
    Set<UUID> done = new java.util.HashSet<>();
    boolean more = true;
    while (more) {
      more = false;
      for (EventDeadLetter d : deadLetters(kind, name, TitoAdmin.MAX_LIMIT)) {
        // A requeued one leaves the list; one seen again (requeued and failed again) stays.
        if (done.add(d.id())) {
          requeue(kind, name, d.id());
          more = true;
        }
      }
    }
    return done.size();
  }

  /** Deletes one dead letter for good. @throws NotFoundException if there is none with that id */
  public void deleteDeadLetter(EventConsumerKind kind, String name, UUID id) {
    boolean deleted = kind == EventConsumerKind.PROJECTION
        ? store.projections().deleteDeadLetter(name, id)
        : store.subscriptions().deleteDeadLetter(name, id);
    if (!deleted) {
      throw deadLetterNotFound(kind, name, id);
    }
  }

  // ---- snapshots

  /**
   * Takes the due snapshots of the registered aggregates (or of {@code aggregate} only, when not
   * null): every queued stream whose tail reached {@code threshold} events is snapshotted, the
   * others leave the queue (see {@link Snapshotter}). Reports the streams processed so far to
   * {@code progress} (may be null) after each pass.
   *
   * @return streams processed, by aggregate
   * @throws InvalidArgumentException if no aggregate (or not {@code aggregate}) is registered here
   */
  public Map<String, Long> compactSnapshots(String aggregate, long threshold,
      Consumer<Long> progress) {
    Map<String, AggregateRepository<?>> chosen = new TreeMap<>(repositories);
    if (aggregate != null) {
      chosen.keySet().retainAll(Set.of(aggregate));
    }
    if (chosen.isEmpty()) {
      throw new InvalidArgumentException("compacting snapshots needs the aggregate's repository "
          + "registered in this process (use the application's admin server or "
          + "TitoCli.executeWith and its TitoAdmin)",
          Map.of("aggregate", String.valueOf(aggregate)));
    }
    Map<String, Long> done = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, AggregateRepository<?>> e : chosen.entrySet()) {
      Snapshotter<?> s = Snapshotter.builder(e.getValue()).threshold(threshold).build();
      long n = 0;
      int pass;
      while ((pass = s.runOnce()) > 0) {
        n += pass;
        total += pass;
        if (progress != null) {
          progress.accept(total);
        }
      }
      done.put(e.getKey(), n);
    }
    return done;
  }

  // ---- checks

  private Registered registered(String name) {
    Registered p = projections.get(name);
    if (p == null) {
      throw new InvalidArgumentException("rebuilding or running a projection needs its handler "
          + "registered in this process (use the application's admin server or "
          + "TitoCli.executeWith and its TitoAdmin)", Map.of("projection", String.valueOf(name)));
    }
    return p;
  }

  private static NotFoundException deadLetterNotFound(EventConsumerKind kind, String name, UUID id) {
    return new NotFoundException("dead letter not found",
        Map.of("kind", kind.name().toLowerCase(java.util.Locale.ROOT), "name", name, "id", id));
  }

  private static int checkLimit(int limit) {
    if (limit < 1 || limit > TitoAdmin.MAX_LIMIT) {
      throw new InvalidArgumentException("limit must be 1 to " + TitoAdmin.MAX_LIMIT,
          Map.of("limit", limit));
    }
    return limit;
  }

  private static Duration checkTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidArgumentException("timeout must be positive",
          Map.of("timeout", String.valueOf(timeout)));
    }
    return timeout;
  }
}
