package io.tito.internal.pubsub;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the threads partition runners run on: a platform thread while fewer than the cap of
 * threads made here run, a virtual thread beyond. A runner blocks in the engine at every fetch and
 * commit; a platform thread resumes when the kernel wakes it, where a virtual thread also waits
 * for one of its scheduler's carrier threads (as many as cores), which the other runners and the
 * handlers keep busy (and a JNI call, RocksDB's, pins its carrier). Past the cap a process is
 * better served by virtual threads' small footprint (a topic may have thousands of partitions).
 * See BENCHMARKS.md, "Partition runners on platform threads". Thread-safe.
 */
final class RunnerThreads {

  /** The process's: at most {@value #PLATFORM_RUNNERS} runners on platform threads. */
  static final RunnerThreads PROCESS = new RunnerThreads(RunnerThreads.PLATFORM_RUNNERS);

  /** How many runners of a process run on platform threads at most: 256. */
  static final int PLATFORM_RUNNERS = 256;

  private final int cap;
  private final AtomicInteger platform = new AtomicInteger();

  RunnerThreads(int cap) {
    this.cap = cap;
  }

  /** How many platform threads made here count against the cap now. */
  int platformRunning() {
    return platform.get();
  }

  /**
   * An unstarted thread named {@code name} that runs {@code body}. A platform thread counts against
   * the cap until {@code body} returns or throws, or until {@link #notStarted} if it never starts.
   */
  Thread unstarted(String name, Runnable body) {
    if (platform.incrementAndGet() <= cap) {
      return Thread.ofPlatform().daemon().name(name).unstarted(() -> {
        try {
          body.run();
        } finally {
          platform.decrementAndGet();
        }
      });
    }
    platform.decrementAndGet();
    return Thread.ofVirtual().name(name).unstarted(body);
  }

  /** Stops counting {@code t}, made by {@link #unstarted}, whose start failed. */
  void notStarted(Thread t) {
    if (!t.isVirtual()) {
      platform.decrementAndGet();
    }
  }
}
