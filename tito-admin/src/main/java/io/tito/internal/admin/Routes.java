package io.tito.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.admin.Health;
import io.tito.admin.Scheduled;
import io.tito.admin.TitoAdmin;
import io.tito.admin.TitoMetrics;
import io.tito.pubsub.StartPosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin server's routes: health, metrics, the JSON API over {@link TitoAdmin}, and the
 * console's static files. Mutating requests (POST, DELETE) need the bearer token. Thread-safe.
 */
public final class Routes implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(Routes.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final Map<String, String> STATIC = Map.of(
      "", "index.html", "index.html", "index.html", "console.js", "console.js",
      "console.css", "console.css", "events.html", "events.html", "events.js", "events.js");

  private final TitoAdmin admin;
  private final Supplier<Health> health;
  private final TitoMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final byte[] token;
  private final List<ApiArea> areas = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final EventRoutes events;

  public Routes(TitoAdmin admin, Supplier<Health> health, TitoMetrics metrics,
      PrometheusMeterRegistry registry, String token) {
    this.admin = admin;
    this.health = health;
    this.metrics = metrics;
    this.registry = registry;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.events = new EventRoutes(admin);
  }

  /** Adds the endpoints of {@code area}; returns this. */
  public Routes with(ApiArea area) {
    areas.add(area);
    return this;
  }

  /** The failure of a request with a method its endpoint does not take (405). */
  public static RuntimeException methodNotAllowed(String wanted) {
    return new HttpError(405, "use " + wanted);
  }

  /** An answer: status and body. */
  private record Reply(int status, String contentType, byte[] body) {
    static Reply json(int status, Object value) {
      return new Reply(status, "application/json",
          Views.json(value).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A failure with its HTTP status. */
  static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    Reply reply;
    try {
      reply = route(ex);
    } catch (HttpError e) {
      reply = error(e.status, e.status == 401 || e.status == 403 ? "unauthorized"
          : e.status == 504 ? "timed out" : "bad request", e.getMessage());
    } catch (NotFoundException e) {
      reply = error(404, "not found", e.getMessage());
    } catch (InvalidArgumentException | IllegalArgumentException | DateTimeParseException e) {
      reply = error(400, "invalid argument", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("admin request failed: {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
      reply = error(500, "failed", e.getMessage());
    }
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (reply.status() == 401) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(reply.body());
      }
    }
  }

  private static Reply error(int status, String kind, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", kind);
    m.put("message", message);
    return Reply.json(status, m);
  }

  private Reply route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    List<String> path = segments(ex.getRequestURI().getRawPath());
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (!read && !method.equals("POST") && !method.equals("DELETE")) {
      throw new HttpError(405, "method not allowed: " + method);
    }
    if (!read) {
      authorize(ex);
    }
    if (path.isEmpty() || (path.size() == 1 && STATIC.containsKey(path.get(0)))) {
      requireRead(read);
      return resource(STATIC.get(path.isEmpty() ? "" : path.get(0)));
    }
    switch (path.get(0)) {
      case "health" -> {
        requireRead(read);
        return health(path);
      }
      case "metrics" -> {
        requireRead(read);
        metrics.refresh();
        return new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
            registry.scrape().getBytes(StandardCharsets.UTF_8));
      }
      case "api" -> {
        return api(method, path.subList(1, path.size()), query, ex);
      }
      default -> throw new NotFoundException("no such page", Map.of("path", String.join("/", path)));
    }
  }

  private Reply health(List<String> path) {
    if (path.size() == 2 && path.get(1).equals("live")) {
      return Reply.json(200, Map.of("status", "UP"));
    }
    if (path.size() == 2 && path.get(1).equals("ready")) {
      Health h = health.get();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", h.ready() ? "UP" : "DOWN");
      m.put("checks", h.checks());
      return Reply.json(h.ready() ? 200 : 503, m);
    }
    throw new NotFoundException("no such health check", Map.of("path", String.join("/", path)));
  }

  private Reply api(String method, List<String> p, Map<String, String> q, HttpExchange ex)
      throws IOException {
    int n = p.size();
    if (n >= 1 && p.get(0).equals("events")) {
      return Reply.json(200, events.route(method, p.subList(1, n), q, ex));
    }
    if (n >= 1 && p.get(0).equals("topics")) {
      if (n == 1) {
        return get(method, () -> Views.list(admin.topics("true".equals(q.get("all"))),
            Views::topic));
      }
      String topic = p.get(1);
      if (n == 2) {
        return get(method, () -> Views.topic(admin.topic(topic)));
      }
      if (n == 3 && p.get(2).equals("groups")) {
        return get(method, () -> Views.list(admin.groups(topic), Views::group));
      }
      if (n == 3 && p.get(2).equals("scheduled")) {
        Scheduled which = Scheduled.valueOf(q.getOrDefault("state", "ALL").toUpperCase(Locale.ROOT));
        return get(method, () -> Views.list(admin.scheduled(topic, which, limit(q)), Views::event));
      }
      if (n >= 4 && p.get(2).equals("groups")) {
        return group(method, topic, p.get(3), p.subList(4, n), q, ex);
      }
    }
    if (n >= 1 && p.get(0).equals("models")) {
      if (n == 1) {
        return get(method, () -> Views.list(admin.models(), Views::model));
      }
      if (n == 2) {
        return get(method, () -> Views.model(admin.model(p.get(1))));
      }
      if (n == 5 && p.get(2).equals("indexes") && p.get(4).equals("build")) {
        requireMethod(method, "POST");
        int batch = intParam(q, "batch", 500);
        return Reply.json(200, Views.build(admin.buildIndex(p.get(1), p.get(3), batch, null)));
      }
      if (n == 4 && p.get(2).equals("indexes")) {
        requireMethod(method, "DELETE");
        admin.dropIndex(p.get(1), p.get(3));
        return Reply.json(200, Map.of("dropped", p.get(1) + "/" + p.get(3)));
      }
    }
    for (ApiArea area : areas) {
      if (n >= 1 && area.names().contains(p.get(0))) {
        return Reply.json(200, area.handle(method, p, q, () -> body(ex)));
      }
    }
    throw new NotFoundException("no such endpoint", Map.of("path", "api/" + String.join("/", p)));
  }

  private Reply group(String method, String topic, String group, List<String> p,
      Map<String, String> q, HttpExchange ex) throws IOException {
    int n = p.size();
    if (n == 0) {
      return get(method, () -> Views.group(admin.group(topic, group)));
    }
    if (n == 1 && p.get(0).equals("reset")) {
      requireMethod(method, "POST");
      Map<String, Object> body = body(ex);
      Object to = body.get("to");
      if (body.containsKey("partition") || body.containsKey("position")) {
        if (to != null) {
          throw new InvalidArgumentException("give either to, or partition and position", Map.of());
        }
        int partition = number(body, "partition").intValue();
        long position = number(body, "position").longValue();
        return Reply.json(200, Views.group(admin.resetGroup(topic, group, partition, position)));
      }
      if (!(to instanceof String s)) {
        throw new InvalidArgumentException(
            "body needs \"to\": earliest, latest or an ISO-8601 time; or partition and position",
            Map.of());
      }
      StartPosition start = switch (s.toLowerCase(Locale.ROOT)) {
        case "earliest" -> StartPosition.EARLIEST;
        case "latest" -> StartPosition.LATEST;
        default -> StartPosition.at(Instant.parse(s));
      };
      return Reply.json(200, Views.group(admin.resetGroup(topic, group, start)));
    }
    if (p.get(0).equals("dead-letters")) {
      if (n == 1) {
        return get(method, () -> Views.list(admin.deadLetters(topic, group, limit(q)),
            Views::deadLetter));
      }
      if (n == 2 && p.get(1).equals("requeue-all")) {
        requireMethod(method, "POST");
        return Reply.json(200, Map.of("requeued", admin.requeueAll(topic, group)));
      }
      UUID id = uuid(p.get(1));
      if (n == 2) {
        if (method.equals("DELETE")) {
          admin.deleteDeadLetter(topic, group, id);
          return Reply.json(200, Map.of("deleted", 1));
        }
        return get(method, () -> Views.deadLetter(admin.deadLetter(topic, group, id)));
      }
      if (n == 3 && p.get(2).equals("requeue")) {
        requireMethod(method, "POST");
        admin.requeue(topic, group, id);
        return Reply.json(200, Map.of("requeued", 1));
      }
    }
    throw new NotFoundException("no such endpoint", Map.of("path", String.join("/", p)));
  }

  private void authorize(HttpExchange ex) {
    if (token == null) {
      throw new HttpError(403, "mutating endpoints are disabled: the server has no token");
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    byte[] given = h != null && h.startsWith("Bearer ")
        ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      throw new HttpError(401, "a valid bearer token is needed");
    }
  }

  private static Reply get(String method, Supplier<Object> value) {
    requireRead(method.equals("GET") || method.equals("HEAD"));
    return Reply.json(200, value.get());
  }

  private static void requireRead(boolean read) {
    if (!read) {
      throw new HttpError(405, "method not allowed here");
    }
  }

  static void requireMethod(String method, String wanted) {
    if (!method.equals(wanted)) {
      throw new HttpError(405, "use " + wanted);
    }
  }

  static Map<String, Object> body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new InvalidArgumentException("body too large", Map.of("max", MAX_BODY));
      }
      return Views.parseObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("body is not valid JSON: " + e.getOriginalMessage(), Map.of());
    }
  }

  private static Number number(Map<String, Object> body, String name) {
    if (!(body.get(name) instanceof Number v)) {
      throw new InvalidArgumentException(name + " must be a number", Map.of("field", name));
    }
    return v;
  }

  private static int limit(Map<String, String> q) {
    return intParam(q, "limit", 100);
  }

  static void requireRead(String method) {
    requireRead(method.equals("GET") || method.equals("HEAD"));
  }

  static long longParam(Map<String, String> q, String name, long dflt) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(name + " must be a number", Map.of(name, v));
    }
  }

  static int intParam(Map<String, String> q, String name, int dflt) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(name + " must be a number", Map.of(name, v));
    }
  }

  static UUID uuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("not a dead letter id", Map.of("id", s));
    }
  }

  private static Reply resource(String name) throws IOException {
    try (InputStream in = Routes.class.getResourceAsStream("/io/tito/admin/console/" + name)) {
      if (in == null) {
        throw new NotFoundException("no such file", Map.of("file", name));
      }
      String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
          : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
      return new Reply(200, type, in.readAllBytes());
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : (rawPath == null ? "" : rawPath).split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }
}
