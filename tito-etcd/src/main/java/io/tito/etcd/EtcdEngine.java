package io.tito.etcd;

import io.grpc.ClientInterceptor;
import io.grpc.StatusRuntimeException;
import io.tito.ClosedException;
import io.tito.InvalidArgumentException;
import io.tito.spi.Capability;
import io.tito.spi.ChangeListener;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * An {@link Engine} on an etcd v3 cluster (3.4 or later): distributed and replicated, with
 * snapshot isolation and first-committer-wins, or serializable transactions when {@link
 * EtcdEngineOptions#serializable()} is on (then it declares {@link Capability#SERIALIZABLE}).
 *
 * <ul>
 *   <li>A transaction reads at the revision of a linearizable read made at its first read.
 *   <li>Commit is one etcd Txn whose compares enforce first-committer-wins, see {@link EtcdCommit}.
 *   <li>Errors: a failed compare is {@link io.tito.ConflictException}; a snapshot revision the
 *       cluster compacted is a {@link io.tito.ConflictException} (transaction too old); a commit
 *       over {@link EtcdEngineOptions#maxTxnOps()} or {@link EtcdEngineOptions#maxRequestBytes()} is
 *       a {@link io.tito.LimitExceededException} before anything is sent; the NOSPACE alarm is a
 *       non-retriable {@link io.tito.StorageException} (storage full); a commit whose answer is
 *       lost is settled through its marker key, else {@link io.tito.CommitUnknownException}.
 *   <li>Notifications are etcd watches on one key per channel, all on one watch stream per
 *       engine ({@link EtcdWatchStream}): no polling while idle.
 * </ul>
 *
 * <p>Thread-safe. Open one with {@link #open(EtcdEngineOptions)} or {@code engine("etcd",
 * settings)} (see {@link EtcdEngineProvider}).
 */
public final class EtcdEngine implements Engine {

  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_]{1,63}");

  private final EtcdEngineOptions options;
  private final EtcdClient client;
  private final EtcdKeys keys;
  private final EngineLimits limits;
  private final ScheduledExecutorService watchTimer;
  private final RotatingLease recordLease;
  private final RotatingLease markerLease;
  private final EtcdWatchStream watchStream;
  private volatile boolean closed;

  private EtcdEngine(EtcdEngineOptions options, List<ClientInterceptor> interceptors) {
    this.options = options;
    this.keys = new EtcdKeys(options.namespace());
    this.limits = options.limits();
    this.client = new EtcdClient(options, interceptors);
    long age = Math.max(1, options.maxTransactionAge().toSeconds());
    this.recordLease = new RotatingLease(this, age, age + 60);
    this.markerLease = new RotatingLease(this, 60, 3 * Math.max(1, options.requestTimeout().toSeconds()) + 60);
    this.watchTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tito-etcd-watch-reconnect");
      t.setDaemon(true);
      return t;
    });
    this.watchStream = new EtcdWatchStream(client, watchTimer);
  }

  /**
   * Connects to the cluster and checks that it answers.
   *
   * @throws io.tito.StorageException if no member answers within the request timeout
   */
  public static EtcdEngine open(EtcdEngineOptions options) {
    return open(options, List.of());
  }

  /** {@link #open(EtcdEngineOptions)} with gRPC interceptors on every call: for tests. */
  static EtcdEngine open(EtcdEngineOptions options, List<ClientInterceptor> interceptors) {
    EtcdEngine engine = new EtcdEngine(options, interceptors);
    try {
      engine.client.currentRevision(engine.keys.probe());
    } catch (StatusRuntimeException e) {
      engine.close();
      throw EtcdErrors.failed("connect", e);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  @Override
  public String name() {
    return EtcdEngineProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    EnumSet<Capability> capabilities =
        EnumSet.of(Capability.DURABLE, Capability.MULTI_PROCESS, Capability.CHANGE_NOTIFICATIONS);
    if (options.serializable()) {
      capabilities.add(Capability.SERIALIZABLE);
    }
    return capabilities;
  }

  @Override
  public EngineLimits limits() {
    return limits;
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    ensureOpen();
    return new EtcdTransaction(this, readOnly);
  }

  @Override
  public AutoCloseable listen(String channel, ChangeListener listener) {
    ensureOpen();
    checkChannel(channel);
    return watchStream.watch(keys.channel(channel), listener);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watchStream.close();
    watchTimer.shutdownNow();
    client.close();
  }

  /** The options this engine was opened with. */
  public EtcdEngineOptions options() {
    return options;
  }

  void ensureOpen() {
    if (closed) {
      throw new ClosedException("engine is closed", Map.of("engine", EtcdEngineProvider.NAME));
    }
  }

  EtcdClient client() {
    return client;
  }

  EtcdKeys keys() {
    return keys;
  }

  /**
   * The lease of clear records: they outlive by a minute every transaction whose snapshot predates
   * them (older ones fail at commit, see {@link EtcdEngineOptions#maxTransactionAge()}).
   */
  RotatingLease recordLease() {
    return recordLease;
  }

  /**
   * The lease of commit markers: they outlive by a minute the settlement of their commit (at most
   * three request timeouts); a commit whose lease expired before it applied fails.
   */
  RotatingLease markerLease() {
    return markerLease;
  }

  static void checkChannel(String channel) {
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new InvalidArgumentException("channel must be 1 to 63 letters, digits or underscores",
          Map.of("channel", String.valueOf(channel)));
    }
  }
}
