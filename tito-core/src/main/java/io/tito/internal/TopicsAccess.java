package io.tito.internal;

import io.tito.Tito;
import io.tito.pubsub.Topics;
import java.time.Clock;
import java.util.function.BiFunction;

/**
 * Lets {@link Tito#topics()} make the store's one {@link Topics} without a public constructor:
 * {@code Topics} hands its factory over when its class initialises.
 */
public final class TopicsAccess {

  private static volatile BiFunction<Tito, Clock, Topics> factory;

  private TopicsAccess() {}

  /** Called once by {@link Topics}. */
  public static void factory(BiFunction<Tito, Clock, Topics> f) {
    factory = f;
  }

  /** A new {@link Topics} on {@code tito}; only {@link Tito#topics()} calls it. */
  public static Topics newTopics(Tito tito, Clock clock) {
    if (factory == null) {
      try {
        Class.forName(Topics.class.getName(), true, Topics.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return factory.apply(tito, clock);
  }
}
