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
}
