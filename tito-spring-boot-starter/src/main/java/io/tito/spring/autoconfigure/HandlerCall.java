package io.tito.spring.autoconfigure;

import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.spring.internal.ListenerObserver;
import java.lang.reflect.InvocationTargetException;

/** Calls a listener method, reporting each outcome and rethrowing what the method threw. */
final class HandlerCall {

  private final ListenerEndpoint endpoint;
  private final ListenerObserver observer;

  HandlerCall(ListenerEndpoint endpoint, ListenerObserver observer) {
    this.endpoint = endpoint;
    this.observer = observer;
  }

  /** The method called with {@code event}. */
  void handle(Event event) throws Exception {
    call(event, event);
  }

  /** The method called with {@code tx} and {@code event}. */
  void handle(Transaction tx, Event event) throws Exception {
    call(event, tx, event);
  }

  private void call(Event event, Object... args) throws Exception {
    String topic = endpoint.listener().topic();
    String group = endpoint.listener().group();
    try {
      endpoint.method().invoke(endpoint.bean(), args);
    } catch (InvocationTargetException e) {
      observer.failed(topic, group, event);
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
    observer.handled(topic, group, event);
  }
}
