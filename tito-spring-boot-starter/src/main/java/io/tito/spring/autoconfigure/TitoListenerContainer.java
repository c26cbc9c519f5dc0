package io.tito.spring.autoconfigure;

import io.tito.Tito;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.spring.TitoProperties;
import io.tito.spring.internal.ListenerObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@code @TitoListener} methods: subscribes each one when the context starts (after every
 * singleton exists) and closes the subscriptions when the context stops or closes, each waiting for
 * its in-flight handlers up to its shutdown timeout, so a handler is never cut off by the store
 * closing underneath it. Stops in the latest phase, i.e. before other lifecycle beans (web server
 * shutdown aside) and always before the {@code Tito} bean is destroyed.
 */
public final class TitoListenerContainer implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(TitoListenerContainer.class);

  private final Tito tito;
  private final TitoListenerCollector collector;
  private final TitoProperties properties;
  private final ListenerObserver observer;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Subscription> running = new ArrayList<>();
  private boolean started;

  TitoListenerContainer(Tito tito, TitoListenerCollector collector, TitoProperties properties,
      ListenerObserver observer) {
    this.tito = tito;
    this.collector = collector;
    this.properties = properties;
    this.observer = observer;
  }

  /**
   * Subscribes every listener. If one cannot start, those already started are closed and the
   * failure names the listener.
   */
  @Override
  public void start() {
    lock.lock();
    try {
      if (started) {
        return;
      }
      observer.starting();
      for (ListenerEndpoint e : collector.endpoints()) {
        try {
          running.add(subscribe(e));
        } catch (RuntimeException ex) {
          closeAll();
          throw new IllegalStateException("cannot start @TitoListener " + e.id() + " of bean '"
              + e.beanName() + "': " + ex.getMessage(), ex);
        }
      }
      started = true;
    } finally {
      lock.unlock();
    }
  }

  private Subscription subscribe(ListenerEndpoint e) {
    SubscribeOptions options = SubscriptionDefaults.options(properties.getSubscription(),
        e.listener());
    String topic = e.listener().topic();
    String group = e.listener().group();
    HandlerCall call = new HandlerCall(e, observer);
    Subscription s = e.transactional()
        ? tito.topics().subscribeTransactional(topic, group, call::handle, options)
        : tito.topics().subscribe(topic, group, call::handle, options);
    observer.started(topic, group, options.maxAttempts());
    LOG.info("Tito listener {} started (bean '{}', worker {})", e.id(), e.beanName(), s.workerId());
    return s;
  }

  /** Closes every subscription, waiting for in-flight handlers up to each shutdown timeout. */
  @Override
  public void stop() {
    lock.lock();
    try {
      closeAll();
      started = false;
    } finally {
      lock.unlock();
    }
  }

  private void closeAll() {
    for (Subscription s : running) {
      try {
        s.close();
      } catch (RuntimeException ex) {
        LOG.warn("closing Tito subscription {} failed", s.workerId(), ex);
      }
    }
    running.clear();
  }

  @Override
  public boolean isRunning() {
    lock.lock();
    try {
      return started;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isAutoStartup() {
    return properties.getListeners().isAutoStartup();
  }

  /** The number of running subscriptions (for tests and diagnostics). */
  public int runningSubscriptions() {
    lock.lock();
    try {
      return running.size();
    } finally {
      lock.unlock();
    }
  }
}
