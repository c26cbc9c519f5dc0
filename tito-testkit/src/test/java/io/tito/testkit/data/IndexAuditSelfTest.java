package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.memory.MemoryEngine;
import io.tito.testkit.data.DataModels.User;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import org.junit.jupiter.api.Test;

/** The audit the kit and the properties rely on does see a missing, stray or stale entry. */
class IndexAuditSelfTest {

  @Test
  void auditDetectsEntriesOutOfStep() {
    Model<User> model = DataModels.users();
    try (Tito tito = Tito.open(new MemoryEngine())) {
      ModelStore<User> users = DataStore.models().model(model).open(tito).store(model);
      users.insert(User.of("a", "a@x", "A", "NO", 1));
      assertThat(IndexAudit.actual(tito, users)).isEqualTo(IndexAudit.expected(tito, users))
          .isNotEmpty();
      Subspace byName = tito.root().subspace("i", "users", "by_name");
      tito.inTransaction(tx -> tx.clear(byName.pack("A", "a")));
      assertThat(IndexAudit.actual(tito, users)).isNotEqualTo(IndexAudit.expected(tito, users));
      tito.inTransaction(tx -> tx.set(byName.pack("A", "a"), Tuple.of(false, "a").pack()));
      assertThat(IndexAudit.actual(tito, users)).isEqualTo(IndexAudit.expected(tito, users));
      tito.inTransaction(tx -> tx.set(byName.pack("B", "a"), Tuple.of(false, "a").pack()));
      assertThat(IndexAudit.actual(tito, users)).isNotEqualTo(IndexAudit.expected(tito, users));
      tito.inTransaction(tx -> {
        tx.clear(byName.pack("B", "a"));
        tx.set(byName.pack("A", "a"), Tuple.of(true, "a").pack());
      });
      assertThat(IndexAudit.actual(tito, users)).isNotEqualTo(IndexAudit.expected(tito, users));
    }
  }
}
