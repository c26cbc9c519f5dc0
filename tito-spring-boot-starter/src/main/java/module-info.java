/**
 * The Spring Boot starter ({@code io.tito.spring}): auto-configuration of a Tito store, its data
 * store and topics, {@code @TitoListener} methods, health and metrics, for Spring Boot 4.0 and 3.5.
 * Spring reads the auto-configuration package reflectively, hence the {@code opens}. Spring's
 * jars are automatic modules (named by their manifests).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Spring's jars
module io.tito.spring {
  requires transitive io.tito.core;
  requires transitive io.tito.data;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.boot;
  requires transitive spring.context;
  requires transitive spring.beans;
  requires spring.core;
  requires spring.aop;
  requires java.sql;
  requires static io.tito.jdbc;
  requires static spring.boot.health;
  requires static spring.boot.actuator;
  requires static micrometer.core;
  requires static spring.jdbc;

  exports io.tito.spring;
  exports io.tito.spring.autoconfigure;

  opens io.tito.spring to spring.core, spring.beans, spring.context, spring.boot;
  opens io.tito.spring.autoconfigure to spring.core, spring.beans, spring.context;
  // not exported: the health indicators and meters, each tied to an optional dependency
  opens io.tito.spring.internal to spring.core, spring.beans;
}
