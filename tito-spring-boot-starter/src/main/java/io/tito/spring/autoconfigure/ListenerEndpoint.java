package io.tito.spring.autoconfigure;

import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.spring.TitoListener;
import java.lang.reflect.Method;
import java.util.Arrays;

/** One {@code @TitoListener} method of one bean, checked when found. */
record ListenerEndpoint(String beanName, Object bean, Method method, TitoListener listener,
    boolean transactional) {

  /**
   * The endpoint of {@code method}, or a clear failure if its declaration is unusable.
   *
   * @throws IllegalStateException naming the bean and method: blank topic or group, negative
   *     settings, or a signature other than {@code (Event)} or {@code (Transaction, Event)}
   */
  static ListenerEndpoint of(String beanName, Object bean, Method method, TitoListener listener) {
    String where = "@TitoListener " + method.getDeclaringClass().getName() + "." + method.getName()
        + " (bean '" + beanName + "')";
    if (listener.topic().isBlank() || listener.group().isBlank()) {
      throw new IllegalStateException(where + ": topic and group must not be blank");
    }
    if (listener.concurrency() < 0 || listener.maxAttempts() < 0) {
      throw new IllegalStateException(where + ": concurrency and maxAttempts must not be negative");
    }
    Class<?>[] p = method.getParameterTypes();
    boolean plain = p.length == 1 && p[0] == Event.class;
    boolean transactional = p.length == 2 && p[0] == Transaction.class && p[1] == Event.class;
    if (!plain && !transactional) {
      throw new IllegalStateException(where + ": parameters must be (Event) or (Transaction, Event),"
          + " not " + Arrays.toString(p));
    }
    method.setAccessible(true);
    return new ListenerEndpoint(beanName, bean, method, listener, transactional);
  }

  /** "topic/group", for messages and thread names. */
  String id() {
    return listener.topic() + "/" + listener.group();
  }
}
