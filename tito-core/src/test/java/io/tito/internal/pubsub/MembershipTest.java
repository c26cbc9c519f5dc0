package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.StartPosition;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.TopicConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembershipTest {

  private static final long LEASE = SubscribeOptions.DEFAULTS.leaseTimeout().toMillis();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.open(new MemoryEngine());
  private final Context ctx = new Context(tito, clock);
  private final Membership a = new Membership(ctx, "t", "g", "a", SubscribeOptions.DEFAULTS);
  private final Membership b = new Membership(ctx, "t", "g", "b", SubscribeOptions.DEFAULTS);

  @BeforeEach
  void group() {
    Publisher publisher = new Publisher(ctx);
    publisher.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    new Groups(ctx, publisher).register("t", "g", StartPosition.EARLIEST);
  }

  @AfterEach
  void close() {
    tito.close();
  }

  @Test
  void assignsPartitionModuloLiveMembersInIdOrder() {
    List<String> live = List.of("a", "b");
    assertThat(a.assigned(live, 0)).isTrue();
    assertThat(a.assigned(live, 1)).isFalse();
    assertThat(b.assigned(live, 1)).isTrue();
    assertThat(a.assigned(List.of("a"), 1)).isTrue();
  }

  @Test
  void aHeldLeaseCannotBeTakenAndATakeoverFencesTheOldOwner() {
    PartitionLease first = a.acquire(0, clock.millis() + LEASE);
    assertThat(first).isNotNull();
    assertThat(b.acquire(0, clock.millis() + LEASE)).as("held by a").isNull();
    assertThat(tito.read(first::fence).epoch()).isEqualTo(first.epoch());

    clock.advance(Duration.ofMillis(LEASE + 1));
    PartitionLease second = b.acquire(0, clock.millis() + LEASE);
    assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
    assertThatThrownBy(() -> tito.read(first::fence)).isInstanceOf(Fenced.class);
    assertThat(tito.read(second::fence).epoch()).isEqualTo(second.epoch());

    Membership.Beat beat = a.heartbeat(List.of(first), false, clock.millis());
    assertThat(beat.lost()).containsExactly(first);
    assertThat(beat.live()).as("b took a lease but never heartbeated").containsExactly("a");
  }

  @Test
  void aHeartbeatRenewsALeaseOnlyOnceRenewalIsDue() {
    PartitionLease lease = a.acquire(1, clock.millis() + LEASE);
    Membership.Beat early = a.heartbeat(List.of(lease), false, clock.millis());
    assertThat(early.held()).as("not due yet: not even read").isEmpty();
    assertThat(early.lost()).isEmpty();
    clock.advance(Duration.ofMillis(LEASE - 1));
    Membership.Beat due = a.heartbeat(List.of(lease), false, clock.millis());
    assertThat(due.held()).containsEntry(lease, clock.millis() + LEASE);
  }

  @Test
  void aStoppingWorkerIsNotLive() {
    a.heartbeat(List.of(), false, clock.millis());
    assertThat(b.heartbeat(List.of(), false, clock.millis()).live()).containsExactly("a", "b");
    assertThat(a.heartbeat(List.of(), true, clock.millis()).live()).containsExactly("b");
  }
}
