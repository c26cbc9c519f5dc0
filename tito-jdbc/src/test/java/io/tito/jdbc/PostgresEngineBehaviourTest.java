package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import org.junit.jupiter.api.Test;

class PostgresEngineBehaviourTest extends JdbcEngineBehaviourTest {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }

  /**
   * A read-only transaction sends nothing at begin: its REPEATABLE READ snapshot is taken by its
   * first read (as the contract allows), and is fixed from then on. A write transaction's
   * snapshot is taken at begin (its ids judge conflicts at commit).
   */
  @Test
  void aReadOnlySnapshotIsTakenByTheFirstReadAndAWriteSnapshotAtBegin() {
    JdbcEngine engine = open(TestDatabases.freshTable());
    try (EngineTransaction ro = engine.begin(true); EngineTransaction rw = engine.begin(false)) {
      try (EngineTransaction w = engine.begin(false)) {
        w.set(new byte[] {1}, new byte[] {1});
        w.commit();
      }
      assertThat(ro.get(new byte[] {1})).as("read-only: a commit before its first read").isEqualTo(new byte[] {1});
      assertThat(rw.get(new byte[] {1})).as("read-write: a commit after its begin").isNull();
      try (EngineTransaction w = engine.begin(false)) {
        w.set(new byte[] {1}, new byte[] {2});
        w.commit();
      }
      assertThat(ro.get(new byte[] {1})).as("read-only: fixed at its first read").isEqualTo(new byte[] {1});
    }
  }
}
