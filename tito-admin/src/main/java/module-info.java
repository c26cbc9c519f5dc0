/**
 * Tito admin: the operator's tools over a Tito store. {@code io.tito.admin} holds the operations
 * ({@code TitoAdmin}), the HTTP admin server with its web console ({@code AdminServer}), the
 * Micrometer metrics ({@code TitoMetrics}) and tracing ({@code Tracing}, {@code Breadcrumbs});
 * {@code io.tito.admin.cli} the {@code tito} command line. OpenTelemetry is optional.
 */
module io.tito.admin {
  requires transitive io.tito.core;
  requires transitive io.tito.data;
  requires transitive io.tito.docs;
  requires transitive io.tito.backup;
  requires transitive io.tito.log;
  requires transitive io.tito.events;
  requires transitive micrometer.core;
  requires transitive micrometer.registry.prometheus;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;
  requires jdk.httpserver;
  requires org.slf4j;
  requires static io.opentelemetry.api;
  requires static io.opentelemetry.context;

  exports io.tito.admin;
  exports io.tito.admin.cli;

  opens io.tito.internal.admin.cli to info.picocli;
}
