package io.tito.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * The suite runs on the Spring Boot line its Maven module says: 4.0 in tito-spring-boot-starter,
 * 3.5 in tito-spring-boot3-tests (system property {@code tito.expectedSpringBootLine}).
 */
class SpringBootLineTest {

  @Test
  void runsOnTheExpectedSpringBootLine() {
    String expected = System.getProperty("tito.expectedSpringBootLine");
    assertThat(expected).as("tito.expectedSpringBootLine set by the module's surefire").isNotNull();
    assertThat(SpringBootVersion.getVersion()).startsWith(expected + ".");
    assertThat(SpringVersion.getVersion()).startsWith(expected.startsWith("4.") ? "7." : "6.");
  }
}
