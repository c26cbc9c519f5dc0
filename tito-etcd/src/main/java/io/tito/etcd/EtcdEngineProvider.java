package io.tito.etcd;

import io.tito.InvalidArgumentException;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import io.tito.spi.EngineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link EtcdEngine}s by the name {@value #NAME}, found through {@link
 * java.util.ServiceLoader}. Settings (strings):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Name</th><th>Values</th><th>Default</th></tr>
 *   <tr><td>{@code endpoints}</td><td>comma-separated member URLs, e.g.
 *       {@code http://10.0.0.1:2379,http://10.0.0.2:2379}</td><td>required</td></tr>
 *   <tr><td>{@code namespace}</td><td>key prefix of this store</td><td>{@code tito/}</td></tr>
 *   <tr><td>{@code requestTimeoutMillis}</td><td>deadline of each request</td><td>{@code 10000}</td></tr>
 *   <tr><td>{@code maxTxnOps}</td><td>the cluster's {@code --max-txn-ops}</td><td>{@code 128}</td></tr>
 *   <tr><td>{@code maxRequestBytes}</td><td>the cluster's {@code --max-request-bytes}</td>
 *       <td>{@code 1572864}</td></tr>
 *   <tr><td>{@code maxTransactionAgeMillis}</td><td>oldest snapshot a writer may commit from</td>
 *       <td>{@code 300000}</td></tr>
 *   <tr><td>{@code trustedCertificates}</td><td>PEM file of CAs for {@code https}</td><td>none</td></tr>
 *   <tr><td>{@code clientCertificate}, {@code clientKey}</td><td>PEM files for mutual TLS</td><td>none</td></tr>
 *   <tr><td>{@code user}, {@code password}</td><td>etcd authentication</td><td>none</td></tr>
 *   <tr><td>{@code serializable}</td><td>{@code true}: serializable read-write transactions
 *       ({@link EtcdEngineOptions#serializable()})</td><td>{@code false}</td></tr>
 * </table>
 *
 * <p>URLs ({@code Tito.open(url)}): {@code etcd://host:port[,host:port...][/namespace][?settings]}
 * ({@code etcds://} for {@code https} members): the members become {@code endpoints}, the path
 * after the first {@code /} the {@code namespace} (verbatim, e.g. {@code etcd://10.0.0.1:2379/orders/}
 * keeps keys under {@code orders/}), and the query parameters the other settings.
 *
 * <p>Stateless and thread-safe.
 */
public final class EtcdEngineProvider implements EngineProvider {

  /** {@code etcd}. */
  public static final String NAME = "etcd";

  /** Every setting this provider knows. */
  public static final Set<String> SETTINGS = Set.of("endpoints", "namespace", "requestTimeoutMillis",
      "maxTxnOps", "maxRequestBytes", "maxTransactionAgeMillis", "trustedCertificates",
      "clientCertificate", "clientKey", "user", "password", "serializable");

  /** For {@link java.util.ServiceLoader}. */
  public EtcdEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Connects to the cluster described by {@code settings}.
   *
   * @throws InvalidArgumentException for unknown, missing or malformed settings
   * @throws io.tito.StorageException if the cluster cannot be reached
   */
  @Override
  public Engine open(Map<String, String> settings) {
    return EtcdEngine.open(toOptions(settings));
  }

  @Override
  public boolean opens(String url) {
    return url.startsWith("etcd://") || url.startsWith("etcds://");
  }

  /**
   * Connects to the cluster a URL names (see the class documentation).
   *
   * @throws InvalidArgumentException for a URL without members, with an empty member, or with an
   *     {@code endpoints} or {@code namespace} query parameter that the URL already gives
   */
  @Override
  public Engine openUrl(String url) {
    return open(urlSettings(url));
  }

  /** The settings a URL stands for (see the class documentation); visible for tests. */
  static Map<String, String> urlSettings(String url) {
    boolean tls = url.startsWith("etcds://");
    String rest = url.substring(tls ? "etcds://".length() : "etcd://".length());
    int q = rest.indexOf('?');
    String query = q < 0 ? "" : rest.substring(q + 1);
    String hostsAndPath = q < 0 ? rest : rest.substring(0, q);
    int slash = hostsAndPath.indexOf('/');
    String hosts = slash < 0 ? hostsAndPath : hostsAndPath.substring(0, slash);
    List<String> members = Arrays.asList(hosts.split(",", -1));
    if (hosts.isEmpty() || members.stream().anyMatch(String::isBlank)) {
      throw new InvalidArgumentException("an etcd URL names its members: etcd://host:port[,host:port...]",
          Map.of("url", url));
    }
    Map<String, String> settings = new LinkedHashMap<>(EngineProvider.queryParameters(query));
    for (String given : List.of("endpoints", "namespace")) {
      if (settings.containsKey(given)) {
        throw new InvalidArgumentException("the URL already gives " + given,
            Map.of("url", url, "setting", given));
      }
    }
    String scheme = tls ? "https://" : "http://";
    settings.put("endpoints", String.join(",", members.stream().map(m -> scheme + m.trim()).toList()));
    if (slash >= 0 && slash + 1 < hostsAndPath.length()) {
      settings.put("namespace", hostsAndPath.substring(slash + 1));
    }
    return settings;
  }

  /** Parses and validates {@code settings} without connecting. */
  static EtcdEngineOptions toOptions(Map<String, String> settings) {
    EngineSettings s = EngineSettings.of(NAME, settings, SETTINGS);
    String endpoints = s.required("endpoints");
    EtcdEngineOptions.Builder b = EtcdEngineOptions.builder(
        Arrays.stream(endpoints.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList());
    if (s.has("namespace")) {
      b.namespace(s.get("namespace"));
    }
    if (s.has("requestTimeoutMillis")) {
      b.requestTimeout(Duration.ofMillis(s.getLong("requestTimeoutMillis", 0)));
    }
    if (s.has("maxTxnOps")) {
      b.maxTxnOps(s.getInt("maxTxnOps", 0));
    }
    if (s.has("maxRequestBytes")) {
      b.maxRequestBytes(s.getInt("maxRequestBytes", 0));
    }
    if (s.has("maxTransactionAgeMillis")) {
      b.maxTransactionAge(Duration.ofMillis(s.getLong("maxTransactionAgeMillis", 0)));
    }
    if (s.has("trustedCertificates")) {
      b.trustedCertificates(Path.of(s.get("trustedCertificates")));
    }
    String cert = s.get("clientCertificate");
    String key = s.get("clientKey");
    if (cert != null || key != null) {
      b.clientCertificate(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key));
    }
    if (s.has("user") || s.has("password")) {
      b.credentials(s.get("user"), s.get("password"));
    }
    b.serializable(s.getBoolean("serializable", false));
    return b.build();
  }
}
