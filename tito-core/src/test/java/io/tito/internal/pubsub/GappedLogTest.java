package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.TopicConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link LogReader} with gaps between positions: the source reads it instead of the topic's log,
 * and a failure of the first unconsumed item past the checkpoint is counted (the checkpoint moves
 * onto it), not lost.
 */
class GappedLogTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.open(new MemoryEngine());
  private final Context ctx = new Context(tito, clock);
  private final Publisher publisher = new Publisher(ctx);
  private final List<Long> positions = List.of(10L, 20L, 35L);
  private final LogReader log = (tx, from, limit) -> positions.stream().filter(p -> p >= from).limit(limit)
      .map(p -> new LogReader.Entry(p, EventCodec.encode(UUID.randomUUID(), "k", new byte[0], Map.of(),
          Instant.EPOCH, null))).toList();
  private final PartitionSource source = new PartitionSource(ctx, publisher, "t", "g", 0, 10, log);
  private final Checkpoints checkpoints = new Checkpoints(ctx.keys, "t", "g", 0);

  @AfterEach
  void close() {
    tito.close();
  }

  private GroupState state() {
    return tito.read(tx -> GroupState.decode(tx.get(ctx.keys.state("t", "g", 0))));
  }

  @Test
  void failuresPastAGapAreCountedOnTheFailingItem() {
    publisher.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    tito.inTransaction(tx -> tx.set(ctx.keys.state("t", "g", 0), new GroupState(11, 0, 0, 0, null).encode()));
    Source.Fetch f = source.fetch(clock.instant());
    assertThat(f.items()).extracting(Item::position).containsExactly(20L, 35L);
    assertThat(f.dueNow()).isFalse();
    Item head = f.items().get(0);
    tito.inTransaction(tx -> {
      GroupState s = GroupState.decode(tx.get(ctx.keys.state("t", "g", 0)));
      assertThat(checkpoints.attempts(tx, s, head)).isZero();
      checkpoints.countFailure(tx, s, head, 5, "boom");
    });
    assertThat(state().checkpoint()).isEqualTo(20);
    assertThat(state().attempts()).isEqualTo(1);
    Source.Fetch again = source.fetch(clock.instant());
    assertThat(again.items().get(0).attempts()).as("the count belongs to the item now at the checkpoint").isEqualTo(1);
    tito.inTransaction(tx -> checkpoints.advance(tx, state(), List.of(again.items().get(0))));
    assertThat(state().checkpoint()).isEqualTo(21);
    assertThat(state().attempts()).isZero();
    tito.read(tx -> {
      assertThat(checkpoints.attempts(tx, GroupState.decode(tx.get(ctx.keys.state("t", "g", 0))), head))
          .as("consumed").isEqualTo(-1);
      return null;
    });
  }
}
