package io.tito.jdbc;

import io.tito.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a store's tables and brings them to the current schema version, recording each applied
 * step in the store's own schema-version table. Concurrent openers are serialised by a database
 * lock (an advisory transaction lock on PostgreSQL, {@code GET_LOCK} on MariaDB), so opening is
 * idempotent and safe from several processes at once.
 */
final class SchemaMigrator {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  private final Statements sql;

  SchemaMigrator(Statements sql) {
    this.sql = sql;
  }

  /** The schema version this code writes and reads. */
  int currentVersion() {
    return sql.migrations.size();
  }

  /**
   * Creates or migrates the tables ({@code create}), or only checks they are at the current
   * version.
   *
   * @return the schema version found before migrating ({@code 0} for a new store)
   * @throws StorageException if the store is newer than this code, missing while {@code create}
   *     is false, or the database fails
   */
  int migrate(DataSource dataSource, boolean create, boolean createSchema) {
    return locked(dataSource, "could not create or migrate the store's tables",
        c -> run(c, create, createSchema));
  }

  /**
   * Drops the store's tables (those that exist) under the same lock as migrations.
   *
   * @throws StorageException if the database fails
   */
  void drop(DataSource dataSource) {
    locked(dataSource, "could not drop the store's tables", c -> {
      for (String statement : sql.dropTables) {
        execute(c, statement);
      }
      LOG.info("dropped store {}", sql.kvTable);
      return 0;
    });
  }

  private interface Step {
    int run(Connection c) throws SQLException;
  }

  private int locked(DataSource dataSource, String failure, Step step) {
    try (Connection c = dataSource.getConnection()) {
      Dialect d = sql.dialect;
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(!d.transactionalDdl());
      try {
        // Read committed, so that what a concurrent opener created is seen after the lock wait.
        for (String s : d.readCommittedSql()) {
          execute(c, s);
        }
        lock(c, d.migrationLockSql());
        try {
          int found = step.run(c);
          if (d.transactionalDdl()) {
            c.commit();
          }
          return found;
        } finally {
          if (d.migrationUnlockSql() != null) {
            unlock(c, d.migrationUnlockSql());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (d.transactionalDdl()) {
          c.rollback();
        }
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StorageException(failure,
          Map.of("table", sql.kvTable, "sqlState", String.valueOf(e.getSQLState())), e,
          new Errors(sql.dialect).classify(e) == Errors.Kind.CONNECTION);
    }
  }

  private int run(Connection c, boolean create, boolean createSchema) throws SQLException {
    if (create) {
      if (createSchema && sql.createSchema != null) {
        execute(c, sql.createSchema);
      }
      execute(c, sql.createVersions);
    }
    int found = readVersion(c, create);
    if (found > currentVersion()) {
      throw new StorageException("the store was written by a newer version of the engine",
          Map.of("table", sql.kvTable, "schemaVersion", found, "supported", currentVersion()), null);
    }
    if (found < currentVersion() && !create) {
      throw new StorageException("the store's tables are missing or out of date and migrate is off",
          Map.of("table", sql.kvTable, "schemaVersion", found, "required", currentVersion()), null);
    }
    for (int v = found; v < currentVersion(); v++) {
      List<String> step = sql.migrations.get(v);
      for (String statement : step) {
        execute(c, statement);
      }
      try (PreparedStatement ps = c.prepareStatement(sql.recordSchemaVersion)) {
        ps.setInt(1, v + 1);
        ps.executeUpdate();
      }
      LOG.info("migrated store {} to schema version {}", sql.kvTable, v + 1);
    }
    return found;
  }

  private int readVersion(Connection c, boolean tableExpected) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.schemaVersion)) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      if (tableExpected) {
        throw e;
      }
      // The schema-version table does not exist: a store that was never created.
      if (sql.dialect.transactionalDdl()) {
        c.rollback();
      }
      return 0;
    }
  }

  private void lock(Connection c, String lockSql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(lockSql)) {
      ps.setString(1, sql.lockName);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new StorageException("timed out waiting for another process to migrate the store",
              Map.of("table", sql.kvTable), null, true);
        }
      }
    }
  }

  private void unlock(Connection c, String unlockSql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(unlockSql)) {
      ps.setString(1, sql.lockName);
      ps.executeQuery().close();
    }
  }

  private static void execute(Connection c, String statement) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
