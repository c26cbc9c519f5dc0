package io.tito.testkit;

import java.util.Set;

/**
 * Points inside an engine's own machinery where the kit can pause it, so that
 * {@link EngineFaultContract} checks what others see and do meanwhile. An engine's conformance
 * test declares the points its engine has through {@link EngineFixture#faults()}; the tests of a
 * point are skipped only when it is declared absent.
 *
 * <p>Use {@link FaultSwitchboard} as the implementation: the engine calls
 * {@link FaultSwitchboard#reached} at each point, and the kit {@linkplain #arm arms} a pause there.
 */
public interface FaultPoints {

  /** Where an engine can be paused. */
  enum Point {
    /**
     * Inside a commit, holding the engine's commit lock (or whatever serialises its commits),
     * after the commit's writes are applied to storage and before the commit is published to new
     * transactions and returns. Declaring it promises: a commit is seen whole or not at all, a
     * concurrent commit that conflicts with it fails whatever the timing, and beginning and
     * reading never wait for the commit lock.
     */
    COMMIT_LOCK,
    /**
     * After a commit is written and before the write-ahead log sync that makes it durable, on
     * the engine's background syncer (group commit). Declaring it promises: the commit does not
     * return and no other transaction reads it until that sync is done, and beginning and
     * reading never wait for the sync.
     */
    WAL_SYNC,
    /**
     * Inside a commit of point writes, after its conflict checks passed and while it holds
     * whatever keeps conflicting commits out (key locks), before its writes become visible.
     * Declared by engines with {@link io.tito.spi.Capability#PARALLEL_COMMITS}, whose promise
     * {@link ParallelCommitContract} checks there: a commit on other keys completes meanwhile.
     */
    COMMIT_CHECKED
  }

  /** The points this engine has. */
  Set<Point> supported();

  /**
   * Arms a one-shot pause at {@code point} of the current engine: the next thread that reaches it
   * stops there until the pause is released (or closed).
   *
   * @throws IllegalArgumentException if the point is not {@linkplain #supported() supported}
   */
  Pause arm(Point point);
}
