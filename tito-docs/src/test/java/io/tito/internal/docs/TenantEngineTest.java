package io.tito.internal.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TenantEngineTest {

  @Test
  void aTenantViewHandsOutNoChangeFeedOfTheSharedStore() {
    try (MemoryEngine shared = new MemoryEngine()) {
      assertThat(shared.capabilities()).contains(Capability.CHANGE_FEED);
      TenantEngine tenant = new TenantEngine(shared, "t1/".getBytes(StandardCharsets.UTF_8));
      assertThat(tenant.capabilities())
          .doesNotContain(Capability.CHANGE_FEED)
          .contains(Capability.COMMIT_ORDERED_KEYS);
      assertThatThrownBy(tenant::changeFeed)
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("tenant");
    }
  }

  @Test
  void aTenantViewCannotBulkLoadTheSharedStore() {
    try (MemoryEngine memory = new MemoryEngine()) {
      io.tito.spi.Engine shared = new io.tito.spi.ForwardingEngine(memory) {
        @Override
        public java.util.Set<Capability> capabilities() {
          return java.util.EnumSet.of(Capability.BULK_LOAD, Capability.DURABLE);
        }
      };
      TenantEngine tenant = new TenantEngine(shared, "t1/".getBytes(StandardCharsets.UTF_8));
      assertThat(tenant.capabilities()).doesNotContain(Capability.BULK_LOAD).contains(Capability.DURABLE);
      assertThatThrownBy(tenant::bulkLoader)
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("tenant");
    }
  }

  @Test
  void sequencedAppendsStayUnderTheTenantsPrefix() {
    try (MemoryEngine shared = new MemoryEngine()) {
      TenantEngine t1 = new TenantEngine(shared, "t1/".getBytes(StandardCharsets.UTF_8));
      TenantEngine t2 = new TenantEngine(shared, "t2/".getBytes(StandardCharsets.UTF_8));
      byte[] counter = "counter".getBytes(StandardCharsets.UTF_8);
      byte[] log = "log/".getBytes(StandardCharsets.UTF_8);
      for (TenantEngine t : java.util.List.of(t1, t2, t1)) {
        try (io.tito.spi.EngineTransaction tx = t.begin(false)) {
          tx.appendSequenced(counter, log, new byte[] {1});
          tx.commit();
        }
      }
      try (io.tito.spi.EngineTransaction tx = t1.begin(false)) {
        tx.appendSequenced(counter, log, new byte[] {2});
        tx.commit();
        assertThat(tx.sequenceStart(counter)).as("third append of tenant 1").isEqualTo(2);
      }
      try (io.tito.spi.EngineTransaction tx = shared.begin(true)) {
        assertThat(tx.get("t2/counter".getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(io.tito.tuple.Tuple.of(1L).pack());
        assertThat(tx.get(io.tito.ByteArrays.concat("t1/log/".getBytes(StandardCharsets.UTF_8),
            io.tito.tuple.Tuple.of(2L).pack()))).containsExactly(2);
        assertThat(tx.get(counter)).as("nothing outside the prefixes").isNull();
      }
    }
  }
}
