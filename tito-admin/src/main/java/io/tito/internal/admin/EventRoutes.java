package io.tito.internal.admin;

import com.sun.net.httpserver.HttpExchange;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Stamp;
import io.tito.admin.EventConsumerKind;
import io.tito.admin.EventsAdmin;
import io.tito.admin.TitoAdmin;
import io.tito.events.CatchUpTimeoutException;
import io.tito.events.EventStore;
import io.tito.events.StartAt;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The event store's part of the JSON API, under {@code /api/events} (listed in the module
 * README): streams, aliases, {@code $all}, projections and subscription groups (with reset and
 * delete; a projection's delete needs {@code force=true}), their dead letters, and snapshot
 * compaction. Returns the JSON value of a 200 answer or throws as {@link Routes} maps it.
 * Thread-safe.
 */
final class EventRoutes {

  private final TitoAdmin admin;

  EventRoutes(TitoAdmin admin) {
    this.admin = admin;
  }

  Object route(String method, List<String> p, Map<String, String> q, HttpExchange ex)
      throws IOException {
    EventsAdmin events = admin.events();
    int n = p.size();
    String area = n == 0 ? "" : p.get(0);
    switch (area) {
      case "streams" -> {
        if (n == 2) {
          Routes.requireRead(method);
          long from = Routes.longParam(q, "from", -1);
          boolean backward = Boolean.parseBoolean(q.getOrDefault("backward", "false"));
          long start = from >= 0 ? from : backward ? EventStore.END : 1;
          return EventViews.stream(events.readStream(p.get(1), start, backward,
              Routes.intParam(q, "limit", 100), types(q)));
        }
        if (n == 3 && p.get(2).equals("info")) {
          Routes.requireRead(method);
          return EventViews.streamInfo(events.streamInfo(p.get(1)));
        }
      }
      case "aliases" -> {
        if (n == 2) {
          Routes.requireRead(method);
          return Map.of("alias", p.get(1), "streamId", events.resolveAlias(p.get(1)));
        }
      }
      case "all" -> {
        if (n == 1) {
          Routes.requireRead(method);
          String after = q.get("after");
          return EventViews.all(events.readAll(
              after == null || after.isEmpty() ? Stamp.ZERO : EventsAdmin.parsePosition(after),
              Routes.intParam(q, "limit", 100), types(q), q.getOrDefault("prefix", "")));
        }
      }
      case "projections", "subscriptions" -> {
        EventConsumerKind kind = area.equals("projections") ? EventConsumerKind.PROJECTION
            : EventConsumerKind.SUBSCRIPTION;
        if (n == 1) {
          Routes.requireRead(method);
          return Views.list(events.consumers(kind), EventViews::consumer);
        }
        return consumer(events, kind, method, p.get(1), p.subList(2, n), q, ex);
      }
      case "snapshots" -> {
        if (n == 2 && p.get(1).equals("compact")) {
          Routes.requireMethod(method, "POST");
          String aggregate = q.get("aggregate");
          Map<String, Long> done = events.compactSnapshots(aggregate,
              Routes.longParam(q, "threshold", 1), null);
          return Map.of("streams", done);
        }
      }
      default -> {
        // below
      }
    }
    throw new NotFoundException("no such endpoint", Map.of("path", "api/events/" + String.join("/", p)));
  }

  private Object consumer(EventsAdmin events, EventConsumerKind kind, String method, String name,
      List<String> p, Map<String, String> q, HttpExchange ex) throws IOException {
    int n = p.size();
    if (n == 0) {
      if (method.equals("DELETE")) {
        if (kind == EventConsumerKind.PROJECTION) {
          events.deleteProjection(name, "true".equals(q.get("force")));
        } else {
          events.deleteSubscription(name);
        }
        return Map.of("deleted", name);
      }
      Routes.requireRead(method);
      return EventViews.consumer(events.consumer(kind, name));
    }
    String action = p.get(0);
    if (n == 1 && !action.equals("dead-letters")) {
      Routes.requireMethod(method, "POST");
      boolean projection = kind == EventConsumerKind.PROJECTION;
      return EventViews.consumer(switch (action) {
        case "pause" -> events.pause(kind, name);
        case "resume" -> events.resume(kind, name);
        case "reset" -> projection
            ? events.resetProjection(name, resetTarget(events, Routes.body(ex)))
            : events.resetSubscription(name, startTarget(Routes.body(ex)));
        case "rebuild" -> {
          requireProjection(projection, action);
          yield events.rebuild(name);
        }
        case "run-once" -> {
          requireProjection(projection, action);
          yield timed(() -> events.runOnce(name, Routes.intParam(q, "batch", 100), timeout(q)));
        }
        case "run-until-idle" -> {
          requireProjection(projection, action);
          yield timed(() -> events.runUntilIdle(name, timeout(q), null));
        }
        default -> throw new NotFoundException("no such action", Map.of("action", action));
      });
    }
    if (action.equals("dead-letters")) {
      if (n == 1) {
        Routes.requireRead(method);
        return Views.list(events.deadLetters(kind, name, Routes.intParam(q, "limit", 100)),
            EventViews::deadLetter);
      }
      if (n == 2 && p.get(1).equals("requeue-all")) {
        Routes.requireMethod(method, "POST");
        return Map.of("requeued", events.requeueAll(kind, name));
      }
      UUID id = Routes.uuid(p.get(1));
      if (n == 2) {
        if (method.equals("DELETE")) {
          events.deleteDeadLetter(kind, name, id);
          return Map.of("deleted", 1);
        }
        Routes.requireRead(method);
        return EventViews.deadLetter(events.deadLetter(kind, name, id));
      }
      if (n == 3 && p.get(2).equals("requeue")) {
        Routes.requireMethod(method, "POST");
        events.requeue(kind, name, id);
        return Map.of("requeued", 1);
      }
    }
    throw new NotFoundException("no such endpoint", Map.of("path", String.join("/", p)));
  }

  private static void requireProjection(boolean projection, String action) {
    if (!projection) {
      throw new NotFoundException("subscription groups have no " + action, Map.of("action", action));
    }
  }

  /** Body {@code {"to": "beginning" | "end" | "<commit version>.<order>"}}. */
  private static Stamp resetTarget(EventsAdmin events, Map<String, Object> body) {
    if (!(body.get("to") instanceof String to)) {
      throw new InvalidArgumentException(
          "body needs \"to\": beginning, end or a position such as 1042.0", Map.of());
    }
    return switch (to.toLowerCase(Locale.ROOT)) {
      case "beginning" -> Stamp.ZERO;
      case "end" -> events.headPosition();
      default -> EventsAdmin.parsePosition(to);
    };
  }

  /** Body {@code {"to": "beginning" | "end" | "position:<position>" | "time:<ISO-8601>"}}. */
  private static StartAt startTarget(Map<String, Object> body) {
    if (!(body.get("to") instanceof String to)) {
      throw new InvalidArgumentException("body needs \"to\": beginning, end, position:1042.0 or "
          + "time:2026-01-01T00:00:00Z", Map.of());
    }
    return EventsAdmin.parseStartAt(to);
  }

  private static Duration timeout(Map<String, String> q) {
    String v = q.get("timeout");
    if (v == null) {
      return EventsAdmin.DEFAULT_RUN_TIMEOUT;
    }
    Duration d = Durations.parse(v);
    if (d == null) {
      throw new InvalidArgumentException("timeout must be a positive duration such as 90s or PT1M",
          Map.of("timeout", v));
    }
    return d;
  }

  private static <T> T timed(java.util.function.Supplier<T> run) {
    try {
      return run.get();
    } catch (CatchUpTimeoutException e) {
      throw new Routes.HttpError(504, e.getMessage());
    }
  }

  private static Set<String> types(Map<String, String> q) {
    String v = q.get("type");
    if (v == null || v.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
