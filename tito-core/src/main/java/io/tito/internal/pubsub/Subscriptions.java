package io.tito.internal.pubsub;

import io.tito.InvalidArgumentException;
import io.tito.pubsub.BatchEventHandler;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.TransactionalBatchHandler;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.TransactionalEventHandler;
import java.util.Map;

/** Starts workers. Thread-safe. */
public final class Subscriptions {

  private final Context ctx;
  private final Publisher publisher;
  private final DeadLetters deadLetters;
  private final Groups groups;

  public Subscriptions(Context ctx, Publisher publisher, DeadLetters deadLetters, Groups groups) {
    this.ctx = ctx;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.groups = groups;
  }

  public Worker subscribe(String topic, String group, EventHandler handler, SubscribeOptions options) {
    requireHandler(handler);
    return start(topic, group, Invoker.of(handler), options);
  }

  public Worker subscribe(String topic, String group, TransactionalEventHandler handler,
      SubscribeOptions options) {
    requireHandler(handler);
    return start(topic, group, Invoker.of(handler), options);
  }

  public Worker subscribe(String topic, String group, BatchEventHandler handler,
      SubscribeOptions options) {
    requireHandler(handler);
    return start(topic, group, Invoker.of(handler), options);
  }

  public Worker subscribe(String topic, String group, TransactionalBatchHandler handler,
      SubscribeOptions options) {
    requireHandler(handler);
    return start(topic, group, Invoker.of(handler), options);
  }

  /**
   * Starts a worker of {@code group} that consumes {@code log} instead of the topic's own log (see
   * {@link LogReader}); the topic (usually of one partition) holds the group's state, leases,
   * requeued entries and dead letters, and its partition's wake-ups wake the worker. The group's
   * checkpoint must be written before if it should not start from the topic's head.
   */
  public Worker subscribeLog(String topic, String group, TransactionalBatchHandler handler,
      SubscribeOptions options, LogReader log) {
    requireHandler(handler);
    requireLog(log);
    return start(topic, group, Invoker.of(handler), options, log);
  }

  /** {@link #subscribeLog(String, String, TransactionalBatchHandler, SubscribeOptions, LogReader)} with a plain batch handler (progress committed after it returns). */
  public Worker subscribeLog(String topic, String group, BatchEventHandler handler,
      SubscribeOptions options, LogReader log) {
    requireHandler(handler);
    requireLog(log);
    return start(topic, group, Invoker.of(handler), options, log);
  }

  private static void requireLog(LogReader log) {
    if (log == null) {
      throw new InvalidArgumentException("log must not be null", Map.of());
    }
  }

  private Worker start(String topic, String group, Invoker invoker, SubscribeOptions options) {
    return start(topic, group, invoker, options, null);
  }

  private Worker start(String topic, String group, Invoker invoker, SubscribeOptions options,
      LogReader log) {
    if (options == null) {
      throw new InvalidArgumentException("options must not be null", Map.of());
    }
    TopicConfig config = ctx.requireTopic(topic);
    groups.register(topic, group, options.start());
    Worker w = new Worker(ctx, publisher, deadLetters, groups, topic, group, config, options, invoker, log);
    w.start();
    return w;
  }

  private static void requireHandler(Object handler) {
    if (handler == null) {
      throw new InvalidArgumentException("handler must not be null", Map.of());
    }
  }
}
