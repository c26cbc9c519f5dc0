package io.tito.internal;

import io.tito.ClosedException;
import io.tito.Tito;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * What runs on one {@link Tito} store and must stop before its engine closes (pub/sub workers):
 * {@link Tito#close} stops every registered service, all at once, before closing the engine.
 * Thread-safe.
 */
public final class Lifecycle {

  /** A background service of a store. */
  public interface Service {
    /**
     * Stops gracefully within {@code timeout}, or within the service's own default if null.
     *
     * @return whether it stopped in time
     */
    boolean stop(Duration timeout);
  }

  private static volatile Function<Tito, Lifecycle> access;

  private final Set<Service> services = ConcurrentHashMap.newKeySet();
  /** Guards {@link #closing} against a concurrent register; a lock, not a monitor. */
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closing;

  /** Called once by {@link Tito} so that internals can find a store's lifecycle. */
  public static void access(Function<Tito, Lifecycle> f) {
    access = f;
  }

  /** The lifecycle of {@code tito}. */
  public static Lifecycle of(Tito tito) {
    return access.apply(tito);
  }

  /**
   * Registers a started service.
   *
   * @throws ClosedException if the store is closing; the caller must then stop the service
   */
  public void register(Service s) {
    lock.lock();
    try {
      if (closing) {
        throw new ClosedException("the store is closed", Map.of());
      }
      services.add(s);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets a service that stopped by itself. */
  public void unregister(Service s) {
    services.remove(s);
  }

  /**
   * Refuses new services and stops every registered one at once, each within {@code timeout} (its
   * own default if null); returns whether all stopped in time.
   */
  public boolean stopAll(Duration timeout) {
    List<Service> running;
    lock.lock();
    try {
      closing = true;
      running = new ArrayList<>(services);
    } finally {
      lock.unlock();
    }
    List<Thread> threads = new ArrayList<>();
    boolean[] inTime = new boolean[running.size()];
    for (int i = 0; i < running.size(); i++) {
      int n = i;
      Service s = running.get(i);
      threads.add(Thread.ofVirtual().name("tito-close").start(() -> {
        try {
          inTime[n] = s.stop(timeout);
        } catch (RuntimeException e) {
          inTime[n] = false;
        }
      }));
    }
    boolean all = true;
    for (int i = 0; i < threads.size(); i++) {
      try {
        threads.get(i).join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      all &= inTime[i];
    }
    services.removeAll(running);
    return all;
  }
}
