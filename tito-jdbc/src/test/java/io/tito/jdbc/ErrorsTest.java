package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.StorageException;
import io.tito.TitoException;
import java.io.EOFException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The error mapping of both dialects, on constructed driver exceptions; needs no server. */
class ErrorsTest {

  private final Errors pg = new Errors(Dialect.POSTGRESQL);
  private final Errors maria = new Errors(Dialect.MARIADB);

  @Test
  void serializationFailuresAndDeadlocksAreConflicts() {
    assertThat(pg.beforeCommit("x", new SQLException("serialize", "40001"))).isInstanceOf(ConflictException.class);
    assertThat(pg.beforeCommit("x", new SQLException("deadlock", "40P01"))).isInstanceOf(ConflictException.class);
    assertThat(maria.beforeCommit("x", new SQLException("deadlock", "40001", 1213))).isInstanceOf(ConflictException.class);
    assertThat(maria.beforeCommit("x", new SQLException("lock wait", "HY000", 1205))).isInstanceOf(ConflictException.class);
    assertThat(maria.beforeCommit("x", new SQLException("record changed", "HY000", 1020))).isInstanceOf(ConflictException.class);
    assertThat(pg.duringCommit(new SQLException("serialize", "40001"))).isInstanceOf(ConflictException.class);
  }

  @Test
  void connectionLossBeforeCommitIsRetriableAndDuringCommitIsUnknown() {
    SQLException io = new SQLException("An I/O error occurred while sending to the backend", "08006",
        new EOFException());
    TitoException before = pg.beforeCommit("get", io);
    assertThat(before).isInstanceOf(StorageException.class);
    assertThat(before.isRetriable()).isTrue();
    assertThat(pg.duringCommit(io)).isInstanceOf(CommitUnknownException.class);
    assertThat(pg.beforeCommit("x", new SQLException("shutdown", "57P01")).isRetriable()).isTrue();
    assertThat(pg.beforeCommit("x", new SQLTransientConnectionException("pool timeout")).isRetriable()).isTrue();
    assertThat(maria.beforeCommit("x", new SQLException("gone away", "HY000", 2006)).isRetriable()).isTrue();
    assertThat(maria.duringCommit(new SQLException("lost", "08S01", 2013))).isInstanceOf(CommitUnknownException.class);
  }

  @Test
  void otherErrorsAreNotRetriableAndTheChainIsSearched() {
    TitoException syntax = pg.beforeCommit("x", new SQLException("syntax", "42601"));
    assertThat(syntax).isInstanceOf(StorageException.class);
    assertThat(syntax.isRetriable()).isFalse();
    BatchUpdateException batch = new BatchUpdateException("batch failed", "HY000", 0, new int[0]);
    batch.setNextException(new SQLException("deadlock", "40P01"));
    assertThat(pg.beforeCommit("x", batch)).isInstanceOf(ConflictException.class);
    assertThat(pg.beforeCommit("x", new SQLException("x", "XX000", new SQLException("y", "40001"))))
        .isInstanceOf(ConflictException.class);
  }
}
