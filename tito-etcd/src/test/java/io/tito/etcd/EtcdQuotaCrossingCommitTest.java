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
import io.tito.StorageException;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The commit that crosses the space quota: etcd checks the quota when a request arrives and again
 * when it applies it, and applies the write that fails the second check but answers it with
 * NOSPACE. Forced on a private cluster (1 MiB quota, the backend committing after every write):
 * both followers are frozen (SIGSTOP), two large commits arrive at the leader and pass the first
 * check against the same database size, then the followers run again; the first applies and grows
 * the database, the second applies past the quota and is answered NOSPACE. The engine must read
 * that commit's marker and report it committed, and later commits as storage full.
 */
class EtcdQuotaCrossingCommitTest {

  private static final int QUOTA = 1 << 20;

  private final List<String> txnOutcomes = new CopyOnWriteArrayList<>();

  @Test
  void theCommitAppliedPastTheQuotaAndAnsweredNoSpaceIsReportedCommitted() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.startPrivate("--quota-backend-bytes", Integer.toString(QUOTA),
        "--backend-batch-limit", "1", "--election-timeout", "15000", "--heartbeat-interval", "100")) {
      String ns = EtcdCluster.freshNamespace("quota-crossing");
      cluster.open(ns).close(); // waits for a leader
      int leader = cluster.awaitLeader(EtcdCluster.LEADER_WAIT);
      EtcdEngineOptions options = cluster.options(ns).requestTimeout(Duration.ofSeconds(60)).build()
          .withEndpoints(List.of(cluster.endpoints().get(leader)));
      try (EtcdEngine engine = EtcdEngine.open(options, List.of(new RecordTxnOutcomes()))) {
        commit(engine, "warm-up", new byte[] {1}); // grants the engine's leases
        long size = cluster.status(leader).getDbSize();
        // Each passes the arrival check alone (size + value < quota); both together do not fit.
        int valueBytes = (int) Math.min(700_000, (QUOTA - size) * 3 / 4);
        assertThat(valueBytes).as("room under the quota after start-up (%d bytes used)", size)
            .isGreaterThan(QUOTA / 4);
        txnOutcomes.clear();

        int[] followers = {(leader + 1) % 3, (leader + 2) % 3};
        for (int f : followers) {
          cluster.pause(f);
        }
        CompletableFuture<Void> first;
        CompletableFuture<Void> second;
        try {
          // A thread each (the common pool may have one thread on a small machine).
          first = CompletableFuture.runAsync(() -> commit(engine, "first", filled(valueBytes, (byte) 1)),
              r -> Thread.ofPlatform().name("commit-first").start(r));
          second = CompletableFuture.runAsync(() -> commit(engine, "second", filled(valueBytes, (byte) 2)),
              r -> Thread.ofPlatform().name("commit-second").start(r));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          double pending;
          while ((pending = cluster.metric(leader, "etcd_server_proposals_pending")) < 2) {
            assertThat(System.nanoTime()).as("both commits proposed at the leader within 30 s (pending %s,"
                + " first %s, second %s, answers %s)", pending, first, second, txnOutcomes).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          }
        } finally {
          for (int f : followers) {
            cluster.resume(f);
          }
        }
        first.get(60, TimeUnit.SECONDS); // each throws if the engine reported anything but committed
        second.get(60, TimeUnit.SECONDS);

        assertThat(txnOutcomes).as("the Txn answers: one applied normally, one applied past the quota")
            .containsExactlyInAnyOrder("OK", "NOSPACE");
        try (EngineTransaction tx = engine.begin(true)) {
          assertThat(tx.get(b("first"))).isEqualTo(filled(valueBytes, (byte) 1));
          assertThat(tx.get(b("second"))).isEqualTo(filled(valueBytes, (byte) 2));
        }
        assertThatThrownBy(() -> commit(engine, "after", new byte[] {3}))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage()).startsWith("storage full"));
      }
    }
  }

  private static byte[] filled(int n, byte value) {
    byte[] out = new byte[n];
    Arrays.fill(out, value);
    return out;
  }


  /** Records how each commit Txn (not the marker reads) of the engine ended. */
  private final class RecordTxnOutcomes implements ClientInterceptor {
    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      ClientCall<Q, A> call = next.newCall(method, options);
      if (!method.getFullMethodName().endsWith("KV/Txn")) {
        return call;
      }
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        @Override
        public void start(Listener<A> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              String d = String.valueOf(status.getDescription());
              txnOutcomes.add(status.isOk() ? "OK" : d.contains("database space exceeded") ? "NOSPACE"
                  : status.getCode() + " " + d);
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }

  private static void commit(EtcdEngine engine, String key, byte[] value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b(key), value);
      tx.commit();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
