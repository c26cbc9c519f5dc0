package io.tito.internal.admin.cli;

import picocli.CommandLine.Option;

/** The options every command takes: where the store is, and the output format. */
final class Common {

  private final Session session;

  Common(Session session) {
    this.session = session;
  }

  @Option(names = "--url", paramLabel = "URL",
      description = "Store URL: rocksdb:<dir>, jdbc:postgresql://..., jdbc:mariadb://... "
          + "(default: the TITO_URL environment variable)")
  void url(String value) {
    if (value != null) {
      session.url(value);
    }
  }

  @Option(names = "--json", description = "Print JSON instead of tables.")
  void json(boolean value) {
    if (value) {
      session.json(true);
    }
  }
}
