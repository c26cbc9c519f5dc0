package io.tito.jdbc;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;

/**
 * A range scan of the transaction's snapshot in pages: each page is one keyset query
 * ({@code WHERE k >= ? AND k < ? ORDER BY k LIMIT n}); the next page starts right after the last
 * key returned (forward) or right before it (reverse), so rows are never skipped or repeated and
 * at most one page is held in memory. Not thread-safe.
 */
final class PageCursor implements KeyValueCursor {

  private final JdbcTransaction tx;
  private final boolean reverse;
  private final int pageSize;
  private byte[] begin;
  private byte[] end;
  private boolean beginExclusive;
  private int nextPageSize;
  private final ArrayDeque<KeyValue> page = new ArrayDeque<>();
  private boolean exhausted;
  private boolean closed;

  PageCursor(JdbcTransaction tx, byte[] begin, byte[] end, boolean reverse, int pageSize, int firstPage) {
    this.tx = tx;
    this.begin = begin;
    this.end = end;
    this.reverse = reverse;
    this.pageSize = pageSize;
    this.nextPageSize = firstPage;
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    tx.connection(); // throws ClosedException once the engine is closed, even mid-page
    if (page.isEmpty() && !exhausted) {
      fetch();
    }
    return !page.isEmpty();
  }

  @Override
  public KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.removeFirst();
  }

  private void fetch() {
    Statements sql = tx.statements();
    String query = reverse ? sql.scanReverse : beginExclusive ? sql.scanForwardAfter : sql.scanForward;
    int n = nextPageSize;
    nextPageSize = pageSize;
    byte[] last = null;
    int rows = 0;
    try (PreparedStatement ps = tx.connection().prepareStatement(query)) {
      ps.setBytes(1, begin);
      ps.setBytes(2, end);
      ps.setInt(3, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          last = rs.getBytes(1);
          page.addLast(new KeyValue(last, rs.getBytes(2)));
          rows++;
        }
      }
    } catch (SQLException e) {
      throw tx.failure("scan", e);
    }
    if (rows < n) {
      exhausted = true;
    } else if (reverse) {
      end = last;
    } else {
      begin = last;
      beginExclusive = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    page.clear();
  }
}
