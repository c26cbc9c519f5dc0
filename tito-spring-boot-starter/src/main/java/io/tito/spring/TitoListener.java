package io.tito.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of one consumer group of one topic. The starter subscribes it
 * when the application context starts and closes the subscription, waiting for in-flight handlers
 * up to the shutdown timeout, when the context closes (before the store closes).
 *
 * <p>Accepted signatures (the return value is ignored):
 *
 * <ul>
 *   <li>{@code void m(Event event)}: at-least-once; the checkpoint is committed after the method
 *       returns;
 *   <li>{@code void m(Transaction tx, Event event)}: the method's writes through {@code tx} commit
 *       in the transaction that advances the checkpoint (exactly once for effects in the store).
 * </ul>
 *
 * <p>A thrown exception is a failed attempt: the event is retried in place after the
 * subscription's backoff and dead-lettered for this group after its {@code maxAttempts}. Any other
 * signature fails the context start with a message naming the method. Settings not given here come
 * from {@code tito.subscription.*}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TitoListener {

  /** The topic; must not be blank. */
  String topic();

  /** The consumer group; must not be blank. */
  String group();

  /** Handlers this listener runs at once; 0 (the default) for {@code tito.subscription.concurrency}. */
  int concurrency() default 0;

  /** Attempts per event; 0 (the default) for {@code tito.subscription.max-attempts}. */
  int maxAttempts() default 0;
}
