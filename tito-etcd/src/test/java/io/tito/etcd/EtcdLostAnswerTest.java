package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.tito.CommitUnknownException;
import io.tito.StorageException;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Commits whose answer is lost, made deterministic by a gRPC interceptor on the engine's channel:
 * the engine settles them through their marker (applied, or fenced out and reported not applied),
 * and reports them unknown only when the cluster does not answer the settlement either.
 */
class EtcdLostAnswerTest {

  private enum Mode {
    /** Calls go through. */
    PASS,
    /** The next Txn reaches the cluster, which applies it; its answer is replaced by UNAVAILABLE. */
    LOSE_NEXT_ANSWER,
    /** The next Txn is never sent; the caller sees UNAVAILABLE, as after a lost request. */
    DROP_NEXT_REQUEST,
    /** Every Txn from the next on is never sent. */
    DROP_ALL_REQUESTS
  }

  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
  private final AtomicInteger txns = new AtomicInteger();

  @Test
  void aCommitWhoseAnswerIsLostButWhichAppliedReturnsNormally() {
    try (EtcdEngine engine = open()) {
      mode.set(Mode.LOSE_NEXT_ANSWER);
      commit(engine, "k", "applied");
      assertThat(read(engine, "k")).isEqualTo("applied");
      assertThat(txns.get()).as("Txn calls: the lost commit and its settlement").isEqualTo(2);
    }
  }

  @Test
  void aCommitWhoseRequestWasLostIsFencedOutAndReportedNotApplied() {
    try (EtcdEngine engine = open()) {
      mode.set(Mode.DROP_NEXT_REQUEST);
      assertThatThrownBy(() -> commit(engine, "k", "lost")).isInstanceOfSatisfying(StorageException.class, e -> {
        assertThat(e.getMessage()).contains("not applied");
        assertThat(e.isRetriable()).isTrue();
      });
      assertThat(read(engine, "k")).isNull();
      commit(engine, "k", "retried");
      assertThat(read(engine, "k")).isEqualTo("retried");
    }
  }

  @Test
  void aCommitIsUnknownOnlyWhenItsSettlementFailsToo() {
    try (EtcdEngine engine = open()) {
      mode.set(Mode.DROP_ALL_REQUESTS);
      assertThatThrownBy(() -> commit(engine, "k", "unknown")).isInstanceOf(CommitUnknownException.class);
      mode.set(Mode.PASS);
      assertThat(read(engine, "k")).isNull();
    }
  }

  private EtcdEngine open() {
    EtcdCluster cluster = EtcdCluster.get();
    cluster.open(EtcdCluster.freshNamespace("warm-up")).close();
    return EtcdEngine.open(cluster.options(EtcdCluster.freshNamespace("lost-answer"))
        .requestTimeout(Duration.ofSeconds(1)).build(), List.of(new Interceptor()));
  }

  private final class Interceptor implements ClientInterceptor {
    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      if (!method.getFullMethodName().endsWith("KV/Txn")) {
        return next.newCall(method, options);
      }
      txns.incrementAndGet();
      Mode m = mode.get();
      if (m == Mode.LOSE_NEXT_ANSWER) {
        mode.set(Mode.PASS);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onMessage(A message) {}

              @Override
              public void onClose(Status status, Metadata trailers) {
                super.onClose(Status.UNAVAILABLE.withDescription("answer lost by the test"), trailers);
              }
            }, headers);
          }
        };
      }
      if (m == Mode.DROP_NEXT_REQUEST || m == Mode.DROP_ALL_REQUESTS) {
        if (m == Mode.DROP_NEXT_REQUEST) {
          mode.set(Mode.PASS);
        }
        return new ClientCall<>() {
          private Listener<A> listener;

          @Override
          public void start(Listener<A> responseListener, Metadata headers) {
            listener = responseListener;
          }

          @Override
          public void request(int numMessages) {}

          @Override
          public void cancel(String message, Throwable cause) {}

          @Override
          public void halfClose() {
            listener.onClose(Status.UNAVAILABLE.withDescription("request lost by the test"), new Metadata());
          }

          @Override
          public void sendMessage(Q message) {}
        };
      }
      return next.newCall(method, options);
    }
  }

  private static void commit(EtcdEngine engine, String key, String value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
      tx.commit();
    }
  }

  private static String read(EtcdEngine engine, String key) {
    try (EngineTransaction tx = engine.begin(true)) {
      byte[] v = tx.get(key.getBytes(StandardCharsets.UTF_8));
      return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
  }
}
