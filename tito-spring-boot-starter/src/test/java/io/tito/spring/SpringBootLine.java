package io.tito.spring;

import org.springframework.boot.SpringBootVersion;

/**
 * Which Spring Boot line the tests run on (4.0 in this module, 3.5 in tito-spring-boot3-tests),
 * and line-neutral access to a health indicator, whose package differs between the lines.
 */
final class SpringBootLine {

  private SpringBootLine() {}

  static boolean isBoot4() {
    return SpringBootVersion.getVersion().startsWith("4.");
  }

  /** The HealthIndicator interface the starter must implement on this line. */
  static String healthIndicatorInterface() {
    return isBoot4() ? "org.springframework.boot.health.contributor.HealthIndicator"
        : "org.springframework.boot.actuate.health.HealthIndicator";
  }

  /** The status code of {@code indicator.health()}, e.g. UP or DOWN. */
  static String status(Object indicator) throws ReflectiveOperationException {
    Object health = indicator.getClass().getMethod("health").invoke(indicator);
    Object status = health.getClass().getMethod("getStatus").invoke(health);
    return (String) status.getClass().getMethod("getCode").invoke(status);
  }
}
