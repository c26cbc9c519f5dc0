package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Platform threads up to the cap, virtual threads beyond, and a place freed when a runner ends. */
class RunnerThreadsTest {

  @Test
  void runnersTakePlatformThreadsUpToTheCapThenVirtualOnes() throws Exception {
    RunnerThreads threads = new RunnerThreads(2);
    CountDownLatch release = new CountDownLatch(1);
    Runnable blocked = () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread a = threads.unstarted("a", blocked);
    Thread b = threads.unstarted("b", blocked);
    Thread c = threads.unstarted("c", blocked);
    assertThat(a.isVirtual()).as("first runner").isFalse();
    assertThat(b.isVirtual()).as("second runner").isFalse();
    assertThat(c.isVirtual()).as("third runner, past the cap of 2").isTrue();
    assertThat(a.getName()).isEqualTo("a");
    assertThat(a.isDaemon()).as("a platform runner never keeps the JVM alive").isTrue();
    a.start();
    b.start();
    c.start();
    assertThat(threads.platformRunning()).isEqualTo(2);

    release.countDown();
    a.join();
    b.join();
    c.join();
    assertThat(threads.platformRunning()).as("ended runners free their places").isZero();
    assertThat(threads.unstarted("d", () -> { }).isVirtual()).as("a place freed").isFalse();
  }

  @Test
  void aRunnerThatThrowsOrNeverStartsFreesItsPlace() throws Exception {
    RunnerThreads threads = new RunnerThreads(1);
    Thread failing = threads.unstarted("failing", () -> {
      throw new IllegalStateException("handler bug");
    });
    failing.setUncaughtExceptionHandler((t, e) -> { });
    failing.start();
    failing.join();
    assertThat(threads.platformRunning()).as("after a body that threw").isZero();

    Thread never = threads.unstarted("never", () -> { });
    assertThat(never.isVirtual()).isFalse();
    assertThat(threads.platformRunning()).isEqualTo(1);
    threads.notStarted(never);
    assertThat(threads.platformRunning()).as("after a thread that never started").isZero();
  }
}
