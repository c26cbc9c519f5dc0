/**
 * The PostgreSQL and MariaDB engine ({@code io.tito.jdbc}), found by {@code
 * Tito.open("jdbc:postgresql://...")} or {@code Tito.open("jdbc:mariadb://...")}. The PostgreSQL
 * driver is read as the automatic module {@code org.postgresql.jdbc} (LISTEN/NOTIFY uses its
 * API); the MariaDB driver is found at run time through {@code java.sql.Driver}.
 */
module io.tito.jdbc {
  requires transitive io.tito.core;
  requires transitive java.sql;
  requires java.logging;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;

  exports io.tito.jdbc;

  provides io.tito.spi.EngineProvider with
      io.tito.jdbc.PostgresEngineProvider,
      io.tito.jdbc.MariaDbEngineProvider;
}
