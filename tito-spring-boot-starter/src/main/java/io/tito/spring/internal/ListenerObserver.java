package io.tito.spring.internal;

import io.tito.pubsub.Event;

/** What the listener container reports about handler calls: the seam for metrics. */
public interface ListenerObserver {

  /** Reports nothing. */
  ListenerObserver NONE = new ListenerObserver() {};

  /** The container is starting its listeners. */
  default void starting() {}

  /** A subscription of {@code topic}/{@code group} with {@code maxAttempts} started. */
  default void started(String topic, String group, int maxAttempts) {}

  /** The handler returned normally for {@code event}. */
  default void handled(String topic, String group, Event event) {}

  /** The handler threw for {@code event}. */
  default void failed(String topic, String group, Event event) {}
}
