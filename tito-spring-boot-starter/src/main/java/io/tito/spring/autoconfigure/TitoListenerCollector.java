package io.tito.spring.autoconfigure;

import io.tito.spring.TitoListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds the {@code @TitoListener} methods of every bean as it is initialised. The found endpoints
 * are started by {@link TitoListenerContainer}; a malformed declaration fails that bean's creation.
 */
public final class TitoListenerCollector implements BeanPostProcessor {

  private final List<ListenerEndpoint> endpoints = new CopyOnWriteArrayList<>();

  /** Creates an empty collector (the auto-configuration's static bean). */
  public TitoListenerCollector() {}

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (isPlatformClass(type)) {
      return bean;
    }
    Map<Method, TitoListener> found = MethodIntrospector.selectMethods(type,
        (MethodIntrospector.MetadataLookup<TitoListener>) m ->
            AnnotatedElementUtils.findMergedAnnotation(m, TitoListener.class));
    for (Map.Entry<Method, TitoListener> e : found.entrySet()) {
      Method invocable = AopUtils.selectInvocableMethod(e.getKey(), bean.getClass());
      endpoints.add(ListenerEndpoint.of(beanName, bean, invocable, e.getValue()));
    }
    return bean;
  }

  /** The endpoints found so far, in discovery order. */
  List<ListenerEndpoint> endpoints() {
    return new ArrayList<>(endpoints);
  }

  /** The JDK's and Spring's own classes, skipped without a scan. */
  private static boolean isPlatformClass(Class<?> type) {
    String name = type.getName();
    return name.startsWith("java.") || name.startsWith("org.springframework.");
  }
}
