package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ChannelCredentials;
import io.grpc.EquivalentAddressGroup;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolver;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchGrpc;
import io.tito.InvalidArgumentException;
import io.tito.StorageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gRPC connection to one etcd cluster: one channel over every endpoint (round robin over the
 * members that are up, so a member that dies is skipped), the KV, Lease and Watch stubs,
 * authentication tokens and request deadlines. Thread-safe.
 */
final class EtcdClient implements AutoCloseable {

  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

  private final EtcdEngineOptions options;
  private final ManagedChannel channel;
  private final long timeoutNanos;
  private volatile String token;

  /** @param interceptors added to every call (tests use them to lose answers); usually none */
  EtcdClient(EtcdEngineOptions options, List<ClientInterceptor> interceptors) {
    this.options = options;
    this.timeoutNanos = options.requestTimeout().toNanos();
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    boolean tls = false;
    for (String endpoint : options.endpoints()) {
      URI uri = parse(endpoint);
      tls |= "https".equals(uri.getScheme());
      // Each member is verified (TLS) against its own host name or address, as written in its URL.
      groups.add(new EquivalentAddressGroup(new InetSocketAddress(uri.getHost(), uri.getPort()),
          Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, uri.getHost() + ":" + uri.getPort())
              .build()));
    }
    this.channel = channel(groups, tls ? tlsCredentials(options) : InsecureChannelCredentials.create(),
        interceptors);
    if (options.user() != null) {
      authenticate();
    }
  }

  @SuppressWarnings("deprecation") // nameResolverFactory: the one way to hand a fixed address list to a channel
  private static ManagedChannel channel(List<EquivalentAddressGroup> groups, ChannelCredentials credentials,
      List<ClientInterceptor> interceptors) {
    NameResolver.Factory resolver = new NameResolver.Factory() {
      @Override
      public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        return new NameResolver() {
          @Override
          public String getServiceAuthority() {
            return "etcd";
          }

          @Override
          public void start(Listener2 listener) {
            listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
          }

          @Override
          public void shutdown() {}
        };
      }

      @Override
      public String getDefaultScheme() {
        return "tito-etcd";
      }
    };
    return NettyChannelBuilder.forTarget("tito-etcd:///cluster", credentials)
        .nameResolverFactory(resolver)
        .defaultLoadBalancingPolicy("round_robin")
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .intercept(interceptors)
        .build();
  }

  private static ChannelCredentials tlsCredentials(EtcdEngineOptions options) {
    try {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      if (options.trustedCertificates() != null) {
        b.trustManager(options.trustedCertificates().toFile());
      }
      if (options.clientCertificate() != null) {
        b.keyManager(options.clientCertificate().toFile(), options.clientKey().toFile());
      }
      return b.build();
    } catch (IOException e) {
      throw new InvalidArgumentException("cannot read the TLS files of the etcd engine",
          Map.of("trustedCertificates", String.valueOf(options.trustedCertificates()),
              "clientCertificate", String.valueOf(options.clientCertificate())), e);
    }
  }

  private static URI parse(String endpoint) {
    String s = endpoint.contains("://") ? endpoint : "http://" + endpoint;
    try {
      URI uri = URI.create(s);
      if (uri.getHost() == null || uri.getPort() < 0
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("needs http(s)://host:port");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("malformed etcd endpoint",
          Map.of("endpoint", endpoint, "expected", "http://host:port or https://host:port"), e);
    }
  }

  private void authenticate() {
    try {
      token = AuthGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
          .authenticate(AuthenticateRequest.newBuilder().setName(options.user())
              .setPassword(options.password()).build())
          .getToken();
    } catch (StatusRuntimeException e) {
      throw new StorageException("etcd authentication failed",
          Map.of("engine", EtcdEngineProvider.NAME, "user", options.user(), "cause", EtcdErrors.message(e)),
          e, EtcdErrors.isTransient(e));
    }
  }

  private final CallCredentials credentials = new CallCredentials() {
    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      Metadata headers = new Metadata();
      String t = token;
      if (t != null) {
        headers.put(TOKEN, t);
      }
      applier.apply(headers);
    }
  };

  private <T> T call(Function<KVGrpc.KVBlockingStub, T> request) {
    try {
      return request.apply(kv());
    } catch (StatusRuntimeException e) {
      if (options.user() != null && EtcdErrors.isAuthExpired(e)) {
        authenticate();
        return request.apply(kv());
      }
      throw e;
    }
  }

  private KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(channel).withCallCredentials(credentials).withWaitForReady()
        .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** A linearizable range read; throws {@link StatusRuntimeException} on failure. */
  RangeResponse range(RangeRequest request) {
    return call(kv -> kv.range(request));
  }

  /** A transaction; throws {@link StatusRuntimeException} on failure. */
  TxnResponse txn(TxnRequest request) {
    return call(kv -> kv.txn(request));
  }

  /** The cluster's current revision, by a linearizable read of one (absent) key. */
  long currentRevision(ByteString probeKey) {
    return range(RangeRequest.newBuilder().setKey(probeKey).setCountOnly(true).build()).getHeader().getRevision();
  }

  /** Grants a lease of {@code ttlSeconds}; returns its id. */
  long grantLease(long ttlSeconds) {
    try {
      return LeaseGrpc.newBlockingStub(channel).withCallCredentials(credentials).withWaitForReady()
          .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
          .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build()).getID();
    } catch (StatusRuntimeException e) {
      if (options.user() != null && EtcdErrors.isAuthExpired(e)) {
        authenticate();
      }
      throw e;
    }
  }

  /** A stub for watch streams (no deadline: they are long-lived). */
  WatchGrpc.WatchStub watchStub() {
    return WatchGrpc.newStub(channel).withCallCredentials(credentials).withWaitForReady();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
