package io.tito.admin;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tito.InvalidArgumentException;
import io.tito.StorageException;
import io.tito.Tito;
import io.tito.internal.admin.OpsRoutes;
import io.tito.internal.admin.Routes;
import io.tito.pubsub.PartitionStatus;
import io.tito.pubsub.Subscription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded HTTP admin server: health, Prometheus metrics, the operations of {@link
 * TitoAdmin} as JSON under {@code /api}, and the web console at {@code /}. Opt-in, one line:
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start(tito);        // http://127.0.0.1:9464/
 * AdminServer admin = AdminServer.builder(tito).port(8080).token(System.getenv("TITO_ADMIN_TOKEN"))
 *     .watch("orders", "billing", subscription).start();
 * }</pre>
 *
 * <p>It binds to 127.0.0.1 unless told otherwise. Reads need no token; mutating endpoints
 * ({@code POST}, {@code DELETE}) need {@code Authorization: Bearer <token>}, and are refused with
 * 403 when the server has no token. The endpoints are listed in the module README. Requests run
 * on virtual threads. Closing stops the server, not the store.
 */
public final class AdminServer implements AutoCloseable {

  /** Port of {@link #start(Tito)}. */
  public static final int DEFAULT_PORT = 9464;

  private final HttpServer server;
  private final ExecutorService executor;
  private final TitoAdmin admin;
  private final List<Watched> watched;

  private AdminServer(Builder b) throws IOException {
    this.admin = TitoAdmin.of(b.tito);
    this.watched = List.copyOf(b.watched);
    PrometheusMeterRegistry registry = b.registry != null ? b.registry
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TitoMetrics metrics = TitoMetrics.of(admin);
    metrics.bindTo(registry);
    this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 64);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", new Routes(admin, this::health, metrics, registry, b.token)
        .with(new OpsRoutes(admin, b.backupDirectory, b.logs)));
    server.start();
  }

  /** Starts a server for {@code tito} on 127.0.0.1:{@value #DEFAULT_PORT}, without a token. */
  public static AdminServer start(Tito tito) {
    return builder(tito).start();
  }

  /** Settings of a server for {@code tito}. */
  public static Builder builder(Tito tito) {
    return new Builder(tito);
  }

  /**
   * The operations the server serves; register the application's projection handlers and
   * aggregate repositories on {@code admin().events()} to rebuild and run them over HTTP.
   */
  public TitoAdmin admin() {
    return admin;
  }

  /** The port the server listens on (the chosen one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address the server listens on. */
  public InetAddress address() {
    return server.getAddress().getAddress();
  }

  /** The server's base URI, e.g. {@code http://127.0.0.1:9464/}. */
  public URI uri() {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /**
   * The readiness checks: the engine answers a read; every watched subscription is a live
   * member of its group; every partition of every watched group has a live lease.
   */
  public Health health() {
    Map<String, String> checks = new LinkedHashMap<>();
    try {
      admin.tito().read(tx -> tx.get(admin.tito().root().pack("m", "health")));
      checks.put("engine", "UP");
    } catch (RuntimeException e) {
      checks.put("engine", "DOWN: " + e.getMessage());
      return new Health(false, checks);
    }
    List<String> notMembers = new ArrayList<>();
    List<String> unleased = new ArrayList<>();
    for (Watched w : watched) {
      try {
        if (!admin.tito().topics().members(w.topic, w.group).contains(w.subscription.workerId())) {
          notMembers.add(w.topic + "/" + w.group + "/" + w.subscription.workerId());
        }
        for (PartitionStatus p : admin.tito().topics().groupStatus(w.topic, w.group)) {
          if (p.leaseOwner() == null) {
            unleased.add(w.topic + "/" + w.group + "/" + p.partition());
          }
        }
      } catch (RuntimeException e) {
        notMembers.add(w.topic + "/" + w.group + ": " + e.getMessage());
      }
    }
    checks.put("workers", notMembers.isEmpty() ? "UP" : "DOWN: not running " + notMembers);
    checks.put("leases", unleased.isEmpty() ? "UP" : "DOWN: no lease on " + unleased);
    return new Health(notMembers.isEmpty() && unleased.isEmpty(), checks);
  }

  /** Stops the server at once (in-flight requests are cut); the store stays open. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Watched(String topic, String group, Subscription subscription) {}

  /** Settings of an {@link AdminServer}. Not thread-safe; build once. */
  public static final class Builder {
    private final Tito tito;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private String token;
    private PrometheusMeterRegistry registry;
    private final List<Watched> watched = new ArrayList<>();
    private java.nio.file.Path backupDirectory;
    private final Map<String, java.nio.file.Path> logs = new LinkedHashMap<>();

    private Builder(Tito tito) {
      if (tito == null) {
        throw new InvalidArgumentException("a Tito store is needed", Map.of());
      }
      this.tito = tito;
    }

    /** The address to bind; default 127.0.0.1 (loopback only). "0.0.0.0" listens everywhere. */
    public Builder host(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidArgumentException("host must not be empty", Map.of("setting", "host"));
      }
      host = value;
      return this;
    }

    /** The port; default {@value AdminServer#DEFAULT_PORT}; 0 picks a free one. */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new InvalidArgumentException("port must be 0 to 65535",
            Map.of("setting", "port", "value", value));
      }
      port = value;
      return this;
    }

    /**
     * The bearer token of mutating endpoints (at least 16 characters); default none, which
     * disables them.
     */
    public Builder token(String value) {
      if (value != null && value.length() < 16) {
        throw new InvalidArgumentException("token must have at least 16 characters",
            Map.of("setting", "token"));
      }
      token = value;
      return this;
    }

    /** The registry {@code /metrics} renders (the application's, to add its own meters). */
    public Builder registry(PrometheusMeterRegistry value) {
      registry = value;
      return this;
    }

    /** A worker whose liveness and whose group's leases readiness checks. */
    public Builder watch(String topic, String group, Subscription subscription) {
      if (topic == null || group == null || subscription == null) {
        throw new InvalidArgumentException("topic, group and subscription needed", Map.of());
      }
      watched.add(new Watched(topic, group, subscription));
      return this;
    }

    /**
     * The backup directory (default set) that {@code /api/backups} lists, verifies and backs up
     * into; default none (those endpoints answer 404). Requests never name a path.
     *
     * @throws InvalidArgumentException if it is not an existing directory
     */
    public Builder backups(java.nio.file.Path directory) {
      if (directory == null || !java.nio.file.Files.isDirectory(directory)) {
        throw new InvalidArgumentException("the backup directory must exist",
            Map.of("setting", "backups", "value", String.valueOf(directory)));
      }
      backupDirectory = directory;
      return this;
    }

    /**
     * A tito-log directory that {@code /api/logs/<name>} shows (status and records, read-only).
     *
     * @throws InvalidArgumentException if the name is empty or taken, or the directory is null
     */
    public Builder log(String name, java.nio.file.Path directory) {
      if (name == null || name.isBlank() || name.contains("/") || directory == null
          || logs.containsKey(name)) {
        throw new InvalidArgumentException("a log needs a new name without '/' and a directory",
            Map.of("setting", "log", "name", String.valueOf(name)));
      }
      logs.put(name, directory);
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws StorageException if the address cannot be bound
     */
    public AdminServer start() {
      try {
        return new AdminServer(this);
      } catch (IOException e) {
        throw new StorageException("cannot start the admin server on " + host + ":" + port,
            Map.of("host", host, "port", port), e);
      }
    }
  }
}
