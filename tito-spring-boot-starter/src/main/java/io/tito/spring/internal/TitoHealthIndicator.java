package io.tito.spring.internal;

import io.tito.spring.autoconfigure.TitoHealthCheck;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The store's health for Spring Boot 4 ({@code spring-boot-health}): {@link TitoHealthCheck} as a
 * {@code HealthIndicator} named {@code tito}; DOWN once the store is closed or its engine fails.
 */
public final class TitoHealthIndicator implements HealthIndicator {

  private final TitoHealthCheck check;

  /** An indicator running {@code check}. */
  public TitoHealthIndicator(TitoHealthCheck check) {
    this.check = check;
  }

  @Override
  public Health health() {
    TitoHealthCheck.Result r = check.check();
    return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
  }
}
