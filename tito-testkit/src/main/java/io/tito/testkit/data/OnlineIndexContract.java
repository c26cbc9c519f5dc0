package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValueCursor;
import io.tito.data.DataStore;
import io.tito.data.IndexBuildProgress;
import io.tito.data.IndexState;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.testkit.data.DataModels.Product;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adding an index to a table with records, building it online, dropping it. */
public interface OnlineIndexContract extends DataFixture {

  private static Model<Product> plain() {
    return Model.builder(Product.class, "catalog").id(Product::id).build();
  }

  private static Model<Product> withPriceIndex() {
    return Model.builder(Product.class, "catalog").id(Product::id)
        .index("by_price", ix -> ix.field("price", Product::priceCents)).build();
  }

  private int entries(String index) {
    return tito().read(tx -> {
      try (KeyValueCursor c = tx.scan(tito().root().subspace("i", "catalog", index).range())) {
        return c.toList().size();
      }
    });
  }

  @Test
  default void newIndexOnAnEmptyTableIsReadableAtOnce() {
    Model<Product> v2 = withPriceIndex();
    ModelStore<Product> s = DataStore.models().model(v2).open(tito()).store(v2);
    assertThat(s.indexState("by_price")).isEqualTo(IndexState.READABLE);
    s.insert(new Product("a", "A", 5));
    assertThat(s.query("by_price").eq(5).page().values()).extracting(Product::id)
        .containsExactly("a");
  }

  @Test
  default void addingAnIndexToATableWithRecordsBuildsItOnline() {
    Model<Product> v1 = plain();
    ModelStore<Product> before = DataStore.models().model(v1).open(tito()).store(v1);
    for (int i = 0; i < 25; i++) {
      before.insert(new Product(String.format("p%02d", i), "P" + i, 1000 - i));
    }
    Model<Product> v2 = withPriceIndex();
    ModelStore<Product> after = DataStore.models().model(v2).open(tito()).store(v2);
    assertThat(after.indexState("by_price")).isEqualTo(IndexState.WRITE_ONLY);
    assertThatThrownBy(() -> after.query("by_price").page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not readable");
    assertThatThrownBy(() -> after.count("by_price")).isInstanceOf(InvalidArgumentException.class);
    // writes maintain a write-only index
    after.insert(new Product("new", "New", 1));
    assertThat(entries("by_price")).isEqualTo(1);
    List<IndexBuildProgress> progress = new ArrayList<>();
    IndexBuildProgress done = after.buildIndex("by_price", 10, progress::add);
    assertThat(done.done()).isTrue();
    assertThat(done.recordsScanned()).isEqualTo(26);
    assertThat(progress).extracting(IndexBuildProgress::recordsScanned).containsExactly(10L, 20L, 26L);
    assertThat(progress).extracting(IndexBuildProgress::state)
        .containsExactly(IndexState.WRITE_ONLY, IndexState.WRITE_ONLY, IndexState.READABLE);
    assertThat(after.indexState("by_price")).isEqualTo(IndexState.READABLE);
    assertThat(after.query("by_price").limit(3).page().values()).extracting(Product::id)
        .containsExactly("new", "p24", "p23");
    assertThat(after.count("by_price")).isEqualTo(26);
    assertThat(IndexAudit.actual(tito(), after)).isEqualTo(IndexAudit.expected(tito(), after));
    assertThat(after.buildIndex("by_price", 10, null).done()).isTrue();
    // another data store opened later sees the index readable
    ModelStore<Product> later = DataStore.models().model(v2).open(tito()).store(v2);
    assertThat(later.indexState("by_price")).isEqualTo(IndexState.READABLE);
  }

  @Test
  default void writersRunningDuringTheBuildLeaveTheIndexConsistent() throws Exception {
    Model<Product> v1 = plain();
    ModelStore<Product> before = DataStore.models().model(v1).open(tito()).store(v1);
    for (int i = 0; i < 60; i++) {
      before.insert(new Product(String.format("p%02d", i), "P", i));
    }
    Model<Product> v2 = withPriceIndex();
    ModelStore<Product> after = DataStore.models().model(v2).open(tito()).store(v2);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer = Thread.ofVirtual().start(() -> {
      java.util.Random random = new java.util.Random(42);
      int round = 0;
      while (!stop.get() || round < 50) {
        String id = String.format("p%02d", random.nextInt(70));
        switch (random.nextInt(3)) {
          case 0 -> after.save(new Product(id, "P", random.nextInt(1000)));
          case 1 -> after.delete(id);
          default -> after.save(new Product(id, "Q", -random.nextInt(1000)));
        }
        round++;
      }
    });
    try {
      after.buildIndex("by_price", 5, null);
    } finally {
      stop.set(true);
      writer.join(60_000);
    }
    assertThat(after.indexState("by_price")).isEqualTo(IndexState.READABLE);
    assertThat(IndexAudit.actual(tito(), after)).isEqualTo(IndexAudit.expected(tito(), after));
  }

  @Test
  default void buildingAUniqueIndexOverDuplicatesFails() {
    Model<Product> v1 = plain();
    ModelStore<Product> before = DataStore.models().model(v1).open(tito()).store(v1);
    before.insert(new Product("a", "Same", 1));
    before.insert(new Product("b", "Same", 2));
    Model<Product> v2 = Model.builder(Product.class, "catalog").id(Product::id)
        .index("by_name", ix -> ix.field("name", Product::name).unique()).build();
    ModelStore<Product> after = DataStore.models().model(v2).open(tito()).store(v2);
    assertThatThrownBy(() -> after.buildIndex("by_name", 100, null))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(after.indexState("by_name")).isEqualTo(IndexState.WRITE_ONLY);
  }

  @Test
  default void droppingAnIndexRemovesItsEntries() {
    Model<Product> v2 = withPriceIndex();
    ModelStore<Product> s = DataStore.models().model(v2).open(tito()).store(v2);
    s.insert(new Product("a", "A", 1));
    s.insert(new Product("b", "B", 2));
    assertThat(entries("by_price")).isEqualTo(2);
    DataStore stillDefined = DataStore.models().model(v2).open(tito());
    assertThatThrownBy(() -> stillDefined.dropIndex("catalog", "by_price"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("still defined");
    Model<Product> v3 = plain();
    DataStore without = DataStore.models().model(v3).open(tito());
    without.dropIndex("catalog", "by_price");
    assertThat(entries("by_price")).isZero();
    assertThat(without.store(v3).findById("a")).isPresent();
    // defining it again later starts a fresh build
    Model<Product> v4 = withPriceIndex();
    ModelStore<Product> again = DataStore.models().model(v4).open(tito()).store(v4);
    assertThat(again.indexState("by_price")).isEqualTo(IndexState.WRITE_ONLY);
    assertThat(again.buildIndex("by_price", 1, null).recordsScanned()).isEqualTo(2);
    assertThat(again.count("by_price")).isEqualTo(2);
  }
}
