package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.LimitExceededException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keyset positions ({@link Query#seek}), index-only counts ({@link Query#count}) and ids
 * ({@link Query#ids}, {@link Query#encodedIds}).
 */
class QuerySeekAndCountTest {

  public record Item(String id, String group, int rank) {}

  private static final Model<Item> ITEMS = Model.builder(Item.class, "items").id(Item::id)
      .index("by_group_rank", ix -> ix.field("group", Item::group).field("rank", Item::rank))
      .index("by_rank", ix -> ix.unique().field("rank", Item::rank))
      .index("by_group_covering", ix -> ix.field("group", Item::group).covering())
      .build();

  private Tito tito;
  private ModelStore<Item> items;

  @BeforeEach
  void open() {
    tito = Tito.open(new MemoryEngine());
    items = DataStore.models(ITEMS).open(tito).store(ITEMS);
    for (int i = 0; i < 10; i++) {
      items.insert(new Item("i" + i, i % 2 == 0 ? "even" : "odd", i));
    }
    items.softDelete("i4");
  }

  @AfterEach
  void close() {
    tito.close();
  }

  private static List<String> ids(Page<Item> p) {
    return p.items().stream().map(v -> v.value().id()).toList();
  }

  @Test
  void seekStartsAtAKeysetPositionWithTiesIncludedInBothDirections() {
    assertThat(ids(items.query("by_group_rank").eq("even").seek(6).page()))
        .containsExactly("i6", "i8");
    assertThat(ids(items.query("by_group_rank").eq("even").seek(6, "i6").page()))
        .containsExactly("i6", "i8");
    assertThat(ids(items.query("by_group_rank").eq("even").seek(6, "i7").page()))
        .containsExactly("i8");
    assertThat(ids(items.query("by_group_rank").eq("even").reverse().seek(6).page()))
        .containsExactly("i6", "i2", "i0");
    assertThat(ids(items.query("by_group_rank").eq("odd").le(7).seek(3).page()))
        .containsExactly("i3", "i5", "i7");
    assertThat(ids(items.query("by_rank").seek(8).page())).containsExactly("i8", "i9");
    assertThatThrownBy(() -> items.query("by_rank").seek())
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> items.query("by_rank").seek(1, "i1", "extra"))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void countReadsEntriesOfLiveRecordsInTheRangeOnly() {
    assertThat(tito.<Long>read(tx -> items.query("by_group_rank").eq("even").count(tx))).isEqualTo(4);
    assertThat(tito.<Long>read(tx -> items.query("by_group_rank").eq("odd").between(3, 7).count(tx)))
        .isEqualTo(3);
    assertThat(tito.<Long>read(tx -> items.query("by_rank").gt(5).count(tx))).isEqualTo(4);
    assertThat(tito.<Long>read(tx -> items.query("by_rank").seek(8).count(tx))).isEqualTo(2);
    assertThatThrownBy(() -> tito.<Long>read(tx -> items.query("by_rank").maxScan(3).count(tx)))
        .isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(() -> tito.<Long>read(tx -> items.query("by_rank").filter(i -> true).count(tx)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void idsListTheLiveRecordsOfTheRangeInEntryOrder() {
    assertThat(tito.<List<Object>>read(tx -> items.query("by_group_rank").eq("even").ids(tx)))
        .containsExactly("i0", "i2", "i6", "i8");
    assertThat(tito.<List<Object>>read(tx -> items.query("by_group_rank").eq("odd").reverse()
        .between(3, 7).ids(tx))).containsExactly("i7", "i5", "i3");
    assertThat(tito.<List<Object>>read(tx -> items.query("by_rank").seek(8).ids(tx)))
        .containsExactly("i8", "i9");
    assertThatThrownBy(() -> tito.<List<Object>>read(tx -> items.query("by_rank").maxScan(3)
        .ids(tx))).isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(() -> tito.<List<Object>>read(tx -> items.query("by_rank")
        .filter(i -> true).ids(tx))).isInstanceOf(InvalidArgumentException.class);
  }

  /** The ids {@link Query#encodedIds} passes, decoded, after checking each is the id's encoding. */
  private static List<Object> encoded(Query<Item> q, io.tito.Transaction tx, long[] passed) {
    List<Object> out = new ArrayList<>();
    passed[0] = q.encodedIds(tx, (bytes, offset, length) -> {
      byte[] id = Arrays.copyOfRange(bytes, offset, offset + length);
      Object decoded = Tuple.unpack(id).get(0);
      assertThat(id).isEqualTo(Tuple.of(decoded).pack());
      out.add(decoded);
    });
    return out;
  }

  @Test
  void encodedIdsPassTheSameBytesForARecordFromEveryKindOfIndex() {
    long[] n = {0};
    assertThat(tito.<List<Object>>read(tx -> encoded(items.query("by_group_rank").eq("even"), tx,
        n))).containsExactly("i0", "i2", "i6", "i8");
    assertThat(n[0]).isEqualTo(4);
    assertThat(tito.<List<Object>>read(tx -> encoded(items.query("by_group_covering").eq("even"),
        tx, n))).containsExactly("i0", "i2", "i6", "i8");
    assertThat(n[0]).isEqualTo(4);
    assertThat(tito.<List<Object>>read(tx -> encoded(items.query("by_rank").reverse().seek(5), tx,
        n))).containsExactly("i5", "i3", "i2", "i1", "i0");
    assertThatThrownBy(() -> tito.<List<Object>>read(tx -> encoded(items.query("by_rank")
        .maxScan(9), tx, n))).as("ten entries, one of a deleted record")
        .isInstanceOf(LimitExceededException.class);
    assertThat(tito.<List<Object>>read(tx -> encoded(items.query("by_rank").maxScan(10), tx, n)))
        .hasSize(9);
    assertThatThrownBy(() -> tito.<List<Object>>read(tx -> encoded(items.query("by_rank")
        .filter(i -> true), tx, n))).isInstanceOf(InvalidArgumentException.class);
  }
}
