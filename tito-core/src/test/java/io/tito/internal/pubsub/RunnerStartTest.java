package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A partition runner's thread is published before it runs: a crash that interrupts every runner
 * it can see must not miss one that already hands deliveries over (a CI run once saw a crashed
 * worker's batch stay open for the whole join timeout).
 */
class RunnerStartTest {

  @Test
  void theThreadIsPublishedBeforeItsBodyRuns() throws Exception {
    AtomicReference<Thread> published = new AtomicReference<>();
    AtomicReference<Thread> seenByBody = new AtomicReference<>();
    // A thread whose start() returns only once its body has run: had the runner published its
    // thread after starting it, the body would see nothing published, every time.
    Thread t = new Thread(() -> seenByBody.set(published.get())) {
      @Override
      public void start() {
        super.start();
        try {
          join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    PartitionRunner.startPublished(t, published::set);
    assertThat(seenByBody.get()).isSameAs(t);
  }
}
