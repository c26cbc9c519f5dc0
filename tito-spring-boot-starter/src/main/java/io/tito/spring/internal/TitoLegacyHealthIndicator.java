package io.tito.spring.internal;

import io.tito.spring.autoconfigure.TitoHealthCheck;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The store's health for Spring Boot 3.5 ({@code org.springframework.boot.actuate.health}): the
 * same {@link TitoHealthCheck} as {@link TitoHealthIndicator}, for the older package.
 */
public final class TitoLegacyHealthIndicator implements HealthIndicator {

  private final TitoHealthCheck check;

  /** An indicator running {@code check}. */
  public TitoLegacyHealthIndicator(TitoHealthCheck check) {
    this.check = check;
  }

  @Override
  public Health health() {
    TitoHealthCheck.Result r = check.check();
    return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
  }
}
