package io.tito.jdbc;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.StorageException;
import io.tito.TitoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Maps driver exceptions to Tito's exception family using the dialect's error codes. */
final class Errors {

  enum Kind { CONFLICT, CONNECTION, OTHER }

  private final Dialect dialect;

  Errors(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The most telling kind found anywhere in the exception's chains. */
  Kind classify(Throwable error) {
    Kind found = Kind.OTHER;
    Set<Throwable> seen = new HashSet<>();
    Throwable t = error;
    while (t != null && seen.add(t)) {
      if (t instanceof SQLException sql) {
        for (SQLException s = sql; s != null && (s == sql || seen.add(s)); s = s.getNextException()) {
          Kind k = kindOf(s);
          if (k == Kind.CONFLICT) {
            return k;
          }
          if (k == Kind.CONNECTION) {
            found = k;
          }
        }
      } else if (t instanceof java.io.IOException) {
        found = Kind.CONNECTION;
      }
      t = t.getCause();
    }
    return found;
  }

  private Kind kindOf(SQLException s) {
    String state = s.getSQLState();
    int code = s.getErrorCode();
    if ((state != null && dialect.conflictStates().contains(state))
        || (code != 0 && dialect.conflictCodes().contains(code))) {
      return Kind.CONFLICT;
    }
    if (s instanceof SQLTransientConnectionException
        || s instanceof SQLNonTransientConnectionException
        || s instanceof SQLRecoverableException
        || (code != 0 && dialect.connectionCodes().contains(code))) {
      return Kind.CONNECTION;
    }
    if (state != null && state.length() >= 2
        && (dialect.connectionStates().contains(state)
            || dialect.connectionStates().contains(state.substring(0, 2)))) {
      return Kind.CONNECTION;
    }
    return s instanceof SQLTransientException ? Kind.CONNECTION : Kind.OTHER;
  }

  /**
   * For failures before the commit was sent: a conflict, a retriable storage error (connection
   * lost: the server rolled the transaction back), or a non-retriable storage error.
   */
  TitoException beforeCommit(String operation, SQLException e) {
    Map<String, Object> ctx = context(operation, e);
    return switch (classify(e)) {
      case CONFLICT -> new ConflictException("the database reported a serialization failure or deadlock", ctx, e);
      case CONNECTION -> new StorageException("the database connection failed; nothing was committed", ctx, e, true);
      case OTHER -> new StorageException("the database rejected a statement", ctx, e, false);
    };
  }

  /** For failures of the COMMIT itself: a definite conflict, or an unknown outcome. */
  TitoException duringCommit(SQLException e) {
    Map<String, Object> ctx = context("commit", e);
    if (classify(e) == Kind.CONFLICT) {
      return new ConflictException("the database reported a serialization failure or deadlock", ctx, e);
    }
    return new CommitUnknownException("the commit may or may not have been applied", ctx, e);
  }

  private Map<String, Object> context(String operation, SQLException e) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("engine", dialect.name());
    ctx.put("operation", operation);
    ctx.put("sqlState", String.valueOf(e.getSQLState()));
    ctx.put("errorCode", e.getErrorCode());
    return ctx;
  }
}
