package io.tito.etcd;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An etcd lease that keys written at any time are sure to outlive by a given lifetime: a new lease
 * is granted once the current one is older than {@code rotateSeconds}, with a TTL of {@code
 * rotateSeconds + lifetimeSeconds}, and none is kept alive. Thread-safe.
 */
final class RotatingLease {

  private final EtcdEngine engine;
  private final long rotateNanos;
  private final long ttlSeconds;
  private final ReentrantLock lock = new ReentrantLock();
  private long id;
  private long grantedNanos;

  RotatingLease(EtcdEngine engine, long rotateSeconds, long lifetimeSeconds) {
    this.engine = engine;
    this.rotateNanos = rotateSeconds * 1_000_000_000L;
    this.ttlSeconds = rotateSeconds + lifetimeSeconds;
  }

  /** The current lease id, granting a new lease when needed. */
  long get() {
    lock.lock();
    try {
      long now = System.nanoTime();
      if (id == 0 || now - grantedNanos > rotateNanos) {
        try {
          id = engine.client().grantLease(ttlSeconds);
        } catch (StatusRuntimeException e) {
          engine.ensureOpen();
          throw EtcdErrors.failed("grant lease", e);
        }
        grantedNanos = now;
      }
      return id;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code expired} (the cluster no longer has it), so the next {@link #get} grants anew. */
  void forget(long expired) {
    lock.lock();
    try {
      if (id == expired) {
        id = 0;
      }
    } finally {
      lock.unlock();
    }
  }
}
