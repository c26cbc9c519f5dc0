package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.CommitUnknownException;
import io.tito.TitoException;
import io.tito.spi.ChangeListener;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A listener's watch stream across killed members: each member of a private cluster is SIGKILLed
 * in turn (and restarted), and a notification is committed while it is down. The stream lives on
 * one of the three members, so at least one kill breaks it; the listener hears {@code
 * listening(false)}, the stream is reopened on a live member, and every notification committed
 * meanwhile is still heard.
 */
class EtcdWatchMemberLossTest {

  private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  @Test
  void aWatchOnAKilledMemberReopensOnALiveOneAndMissesNoNotification() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.startPrivate()) {
      String ns = EtcdCluster.freshNamespace("watch-member-loss");
      try (EtcdEngine listening = cluster.open(ns); EtcdEngine writer = cluster.open(ns)) {
        AutoCloseable subscription = listening.listen("events", new ChangeListener() {
          @Override
          public void changed(String payload) {
            heard.add("changed " + payload);
          }

          @Override
          public void listening(boolean healthy) {
            heard.add("listening " + healthy);
          }
        });
        awaitHeard("listening true");
        for (int member = 0; member < 3; member++) {
          cluster.kill(member);
          notifyUntilCommitted(writer, "while member " + member + " was down");
          awaitHeard("changed while member " + member + " was down");
          cluster.restart(member);
          cluster.awaitLeader(EtcdCluster.LEADER_WAIT);
        }
        subscription.close();
      }
    }
    assertThat(all).as("listener calls").contains("listening false");
    assertThat(all.lastIndexOf("listening true")).as("healthy again after the last break")
        .isGreaterThan(all.lastIndexOf("listening false"));
  }

  /** Takes what the listener heard until {@code expected}, within a minute. */
  private void awaitHeard(String expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String s = heard.poll(1, TimeUnit.SECONDS);
      if (s != null) {
        all.add(s);
        if (s.equals(expected)) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("heard %s within 60 s; heard %s", expected, all).isLessThan(deadline);
    }
  }

  /** Commits a notification, again after failures that applied nothing (an election may be on). */
  private static void notifyUntilCommitted(EtcdEngine writer, String payload) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (EngineTransaction tx = writer.begin(false)) {
        tx.set(b("k"), b(payload));
        tx.notifyOnCommit("events", payload);
        tx.commit();
        return;
      } catch (CommitUnknownException e) {
        throw e;
      } catch (TitoException e) {
        assertThat(System.nanoTime()).as("notification committed within 60 s: %s", e).isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }


  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
