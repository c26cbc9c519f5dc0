package io.tito.etcd;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How an {@link EtcdEngine} reaches its cluster and what the cluster accepts. Immutable; build one
 * with {@link #builder(List)}.
 *
 * @param endpoints client URLs or {@code host:port} of cluster members ({@code http://} or {@code
 *     https://}); requests go to any reachable one, so a member that dies is skipped
 * @param namespace prefix of every etcd key the engine uses; engines with different namespaces on
 *     one cluster never see each other's data
 * @param requestTimeout deadline of each request; a commit past it is resolved (see {@link
 *     EtcdEngine}) or reported as {@link io.tito.CommitUnknownException}
 * @param maxTxnOps the cluster's {@code --max-txn-ops} (etcd's default 128): a commit needing more
 *     compares or operations is rejected before it is sent
 * @param maxRequestBytes the cluster's {@code --max-request-bytes} (etcd's default 1.5 MiB): a
 *     commit whose request is larger is rejected before it is sent
 * @param maxTransactionAge read-write transactions whose snapshot is older than this fail with a
 *     conflict at commit (the records that detect conflicts with range clears expire after it)
 * @param trustedCertificates PEM file of the CA to trust for {@code https} endpoints, or null
 * @param clientCertificate PEM client certificate for mutual TLS, or null
 * @param clientKey PEM (PKCS#8) key of {@code clientCertificate}, or null
 * @param user etcd user for authentication, or null when the cluster has auth off
 * @param password password of {@code user}
 * @param serializable whether read-write transactions are serializable: the commit also compares
 *     every key read (its {@code mod_revision} unchanged) and every range scanned (no key in it
 *     modified after the snapshot, and each key the scan returned unchanged), so write skew
 *     conflicts; costs one compare per key read or returned by a scan and per range scanned,
 *     counted against {@link #maxTxnOps()}. Default false: snapshot isolation
 */
public record EtcdEngineOptions(
    List<String> endpoints,
    String namespace,
    Duration requestTimeout,
    int maxTxnOps,
    int maxRequestBytes,
    Duration maxTransactionAge,
    Path trustedCertificates,
    Path clientCertificate,
    Path clientKey,
    String user,
    String password,
    boolean serializable) {

  /** etcd's default {@code --max-txn-ops}. */
  public static final int DEFAULT_MAX_TXN_OPS = 128;
  /** etcd's default {@code --max-request-bytes}: 1.5 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
  /** Request room kept for compares, operation headers and the engine's own keys. */
  static final int REQUEST_RESERVE = 64 * 1024;

  /**
   * Validates the options.
   *
   * @throws InvalidArgumentException naming the first invalid option
   */
  public EtcdEngineOptions {
    if (endpoints == null || endpoints.isEmpty()) {
      throw invalid("endpoints", endpoints, "at least one endpoint");
    }
    endpoints = List.copyOf(endpoints);
    if (namespace == null || namespace.isEmpty()) {
      throw invalid("namespace", namespace, "a non-empty prefix");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw invalid("requestTimeout", requestTimeout, "a positive duration");
    }
    if (maxTxnOps < 8) {
      throw invalid("maxTxnOps", maxTxnOps, "8 or more");
    }
    if (maxRequestBytes < 4 * REQUEST_RESERVE) {
      throw invalid("maxRequestBytes", maxRequestBytes, "at least " + 4 * REQUEST_RESERVE);
    }
    if (maxTransactionAge == null || maxTransactionAge.isNegative() || maxTransactionAge.isZero()) {
      throw invalid("maxTransactionAge", maxTransactionAge, "a positive duration");
    }
    if ((clientCertificate == null) != (clientKey == null)) {
      throw invalid("clientKey", clientKey, "given together with clientCertificate");
    }
    if (user != null && password == null) {
      throw invalid("password", null, "given together with user");
    }
  }

  /**
   * The sizes the engine accepts: keys up to 8 KiB; transactions up to half of what is left of
   * {@link #maxRequestBytes} after a reserve, since a commit sends each written key twice (a
   * compare and a write); values up to that less one key. The operation count is checked at
   * commit, before sending.
   */
  public EngineLimits limits() {
    int key = 8 * 1024;
    long tx = (maxRequestBytes - REQUEST_RESERVE) / 2L;
    return new EngineLimits(key, (int) tx - key, tx);
  }

  /** These options with other endpoints. */
  public EtcdEngineOptions withEndpoints(List<String> newEndpoints) {
    return new EtcdEngineOptions(newEndpoints, namespace, requestTimeout, maxTxnOps, maxRequestBytes,
        maxTransactionAge, trustedCertificates, clientCertificate, clientKey, user, password, serializable);
  }

  /** Options for {@code endpoints} with every other option at its default. */
  public static Builder builder(List<String> endpoints) {
    return new Builder(endpoints);
  }

  private static InvalidArgumentException invalid(String option, Object value, String expected) {
    return new InvalidArgumentException("invalid etcd engine option",
        Map.of("option", option, "value", String.valueOf(value), "expected", expected));
  }

  /** Builds {@link EtcdEngineOptions}; not thread-safe. */
  public static final class Builder {
    private final List<String> endpoints;
    private String namespace = "tito/";
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxTxnOps = DEFAULT_MAX_TXN_OPS;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration maxTransactionAge = Duration.ofMinutes(5);
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private String user;
    private String password;
    private boolean serializable;

    private Builder(List<String> endpoints) {
      this.endpoints = endpoints;
    }

    /** Key prefix of this engine's data; default {@code tito/}. */
    public Builder namespace(String value) {
      namespace = value;
      return this;
    }

    /** Deadline of each request; default 10 s. */
    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    /** The cluster's {@code --max-txn-ops}; default 128. */
    public Builder maxTxnOps(int value) {
      maxTxnOps = value;
      return this;
    }

    /** The cluster's {@code --max-request-bytes}; default 1.5 MiB. */
    public Builder maxRequestBytes(int value) {
      maxRequestBytes = value;
      return this;
    }

    /** Oldest snapshot a read-write transaction may commit from; default 5 minutes. */
    public Builder maxTransactionAge(Duration value) {
      maxTransactionAge = value;
      return this;
    }

    /** CA certificates (PEM) to trust for {@code https} endpoints. */
    public Builder trustedCertificates(Path value) {
      trustedCertificates = value;
      return this;
    }

    /** Client certificate and PKCS#8 key (PEM) for mutual TLS. */
    public Builder clientCertificate(Path certificate, Path key) {
      clientCertificate = certificate;
      clientKey = key;
      return this;
    }

    /** etcd user and password, for clusters with authentication on. */
    public Builder credentials(String userName, String userPassword) {
      user = userName;
      password = userPassword;
      return this;
    }

    /**
     * Serializable read-write transactions (compares on what they read) instead of snapshot
     * isolation; default false. See {@link EtcdEngineOptions#serializable()}.
     */
    public Builder serializable(boolean value) {
      serializable = value;
      return this;
    }

    /** The options; validates them. */
    public EtcdEngineOptions build() {
      return new EtcdEngineOptions(endpoints, namespace, requestTimeout, maxTxnOps, maxRequestBytes,
          maxTransactionAge, trustedCertificates, clientCertificate, clientKey, user, password, serializable);
    }
  }
}
