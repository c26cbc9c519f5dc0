package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keyspaces of engines that declare {@link Capability#KEYSPACES}: each is apart from the engine
 * and from the others (no key of one is visible in another, whole-range scans and clears stay
 * inside), keeps its data when opened again, is transactional like its parent, and is gone after
 * {@code dropKeyspace}. A keyspace does not hand out keyspaces. Engines without the capability
 * refuse both calls.
 */
public interface KeyspaceContract extends EngineFixture {

  private static String fresh() {
    return "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static List<String> all(Engine e) {
    return read(e, tx -> {
      List<String> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(KeyRange.ALL.begin(), KeyRange.ALL.end(),
          ScanOptions.FORWARD)) {
        c.forEachRemaining(kv -> out.add(new String(kv.key()) + "=" + new String(kv.value())));
      }
      return out;
    });
  }

  @Test
  default void keyspacesAreApartFromTheEngineAndFromEachOther() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.KEYSPACES),
        "engine does not declare KEYSPACES");
    String a = fresh();
    String b = fresh();
    try {
      Engine ka = engine().keyspace(a);
      Engine kb = engine().keyspace(b);
      commit(engine(), tx -> tx.set(v("k"), v("parent")));
      commit(ka, tx -> tx.set(v("k"), v("a")));
      commit(kb, tx -> tx.set(v("k"), v("b")));
      commit(kb, tx -> tx.set(v("only-b"), v("b")));
      assertThat(all(ka)).containsExactly("k=a");
      assertThat(all(kb)).containsExactly("k=b", "only-b=b");
      assertThat(all(engine())).containsExactly("k=parent");
      commit(kb, tx -> tx.clearRange(KeyRange.ALL.begin(), KeyRange.ALL.end()));
      assertThat(all(kb)).isEmpty();
      assertThat(all(ka)).containsExactly("k=a");
      assertThat(all(engine())).containsExactly("k=parent");
      assertThat(engine().keyspace(a)).as("the same name, the same keyspace")
          .satisfies(again -> assertThat(all(again)).containsExactly("k=a"));
      assertThat(ka.capabilities()).doesNotContain(Capability.KEYSPACES);
      assertThatThrownBy(() -> ka.keyspace("nested")).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> engine().keyspace("Not Valid!"))
          .isInstanceOf(InvalidArgumentException.class);
    } finally {
      engine().dropKeyspace(a);
      engine().dropKeyspace(b);
    }
  }

  @Test
  default void aDroppedKeyspaceComesBackEmpty() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.KEYSPACES),
        "engine does not declare KEYSPACES");
    String a = fresh();
    try {
      commit(engine().keyspace(a), tx -> tx.set(v("k"), v("a")));
      engine().dropKeyspace(a);
      engine().dropKeyspace(a); // nothing left: no error
      assertThat(all(engine().keyspace(a))).isEmpty();
    } finally {
      engine().dropKeyspace(a);
    }
  }

  @Test
  default void enginesWithoutKeyspacesRefuseThem() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.KEYSPACES),
        "engine declares KEYSPACES");
    assertThatThrownBy(() -> engine().keyspace("k1")).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> engine().dropKeyspace("k1"))
        .isInstanceOf(InvalidArgumentException.class);
  }
}
