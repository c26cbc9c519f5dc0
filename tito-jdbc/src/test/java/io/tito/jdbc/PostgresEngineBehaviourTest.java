package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.spi.EngineTransaction;
import org.junit.jupiter.api.Test;

class PostgresEngineBehaviourTest extends JdbcEngineBehaviourTest {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }

  /**
   * No transaction sends anything at begin: its REPEATABLE READ snapshot is taken by its first
   * read (as the contract allows), and is fixed from then on. A write transaction reads its
   * snapshot's ids (which judge conflicts at commit) in the same round trip as its first read.
   */
  @Test
  void snapshotsAreTakenByTheFirstReadAndAWriteTransactionsIdsWithIt() {
    JdbcEngine engine = open(TestDatabases.freshTable());
    try (EngineTransaction ro = engine.begin(true); EngineTransaction rw = engine.begin(false)) {
      try (EngineTransaction w = engine.begin(false)) {
        w.set(new byte[] {1}, new byte[] {1});
        w.commit();
      }
      assertThat(ro.get(new byte[] {1})).as("read-only: a commit before its first read").isEqualTo(new byte[] {1});
      assertThat(rw.get(new byte[] {1})).as("read-write: a commit before its first read").isEqualTo(new byte[] {1});
      try (EngineTransaction w = engine.begin(false)) {
        w.set(new byte[] {1}, new byte[] {2});
        w.commit();
      }
      assertThat(ro.get(new byte[] {1})).as("read-only: fixed at its first read").isEqualTo(new byte[] {1});
      assertThat(rw.get(new byte[] {1})).as("read-write: fixed at its first read").isEqualTo(new byte[] {1});
      rw.set(new byte[] {1}, new byte[] {3});
      assertThatThrownBy(rw::commit).as("a write of a key committed after the first read's snapshot")
          .isInstanceOf(io.tito.ConflictException.class);
    }
  }
}
