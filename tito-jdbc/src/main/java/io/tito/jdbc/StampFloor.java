package io.tito.jdbc;

import io.tito.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@link JdbcEngine#raiseStampFloor}: first a read of the lowest stamp version a commit beginning
 * now can get (nothing more when it is above the floor: the usual case, no lock taken); else, in a
 * READ COMMITTED transaction of its own:
 * <ul>
 *   <li>PostgreSQL: the store lock taken exclusively (stamped commits hold it shared from before
 *       their transaction id is assigned until they end), then {@code stamp_base} raised to
 *       {@code floor - own id}. Every stamped commit after it gets a larger id and reads the new
 *       base in its READ COMMITTED lock round; every one before it had ended. A snapshot's horizon
 *       ({@code xmin + base} as the snapshot reads it) stays exact: one taken before the raise
 *       reads the old, lower base.
 *   <li>MariaDB: the version row raised to the floor (the row lock serialises it with commits;
 *       versions skip the numbers in between, as they may).
 * </ul>
 */
final class StampFloor {

  private StampFloor() {}

  static void raise(JdbcEngine engine, Statements sql, DataSource source, long floor) {
    Connection c = engine.borrow(source);
    boolean broken = false;
    try {
      if (nextStampVersion(c, sql) > floor) {
        c.commit();
        return;
      }
      c.commit();
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
      }
      if (sql.lockStore != null) {
        try (PreparedStatement ps = c.prepareStatement(sql.lockStore)) {
          ps.setInt(1, Statements.STORE_LOCK_CLASS);
          ps.setInt(2, sql.storeLockId);
          ps.execute();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql.raiseStampFloor)) {
        ps.setLong(1, floor);
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      broken = true;
      CommitWriter.rollbackQuietly(c);
      throw new StorageException("stamp floor cannot be raised",
          Map.of("engine", engine.name(), "floor", floor, "reason", String.valueOf(e.getMessage())), e);
    } finally {
      engine.giveBack(source, c, broken);
    }
  }

  private static long nextStampVersion(Connection c, Statements sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.nextStampVersion)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
