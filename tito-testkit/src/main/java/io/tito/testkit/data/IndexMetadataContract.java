package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.KeyValueCursor;
import io.tito.data.DataStore;
import io.tito.data.IndexState;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Patch;
import io.tito.testkit.data.DataModels.Product;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The indexes registered in the store (the table header) bind every writer: a process whose
 * model lacks one is refused and writes nothing, so it cannot leave a newer index incomplete, and
 * marking an index readable does not race an insert by such a process.
 */
public interface IndexMetadataContract extends DataFixture {

  private static Model<Product> plain() {
    return Model.builder(Product.class, "stock").id(Product::id).build();
  }

  private static Model<Product> indexed() {
    return Model.builder(Product.class, "stock").id(Product::id)
        .index("by_price", ix -> ix.field("price", Product::priceCents)).build();
  }

  private static ModelStore<Product> open(DataFixture f, Model<Product> m) {
    return DataStore.models().model(m).open(f.tito()).store(m);
  }

  private int entries() {
    return tito().read(tx -> {
      try (KeyValueCursor c = tx.scan(tito().root().subspace("i", "stock", "by_price").range())) {
        return c.toList().size();
      }
    });
  }

  private void assertRefused(ModelStore<Product> old) {
    Product b = new Product("b", "B", 2);
    assertThatThrownBy(() -> old.insert(b)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("lacks indexes")
        .satisfies(e -> assertThat(((InvalidArgumentException) e).context())
            .containsEntry("table", "stock"));
    assertThatThrownBy(() -> old.save(b)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> old.update(new Product("a", "A2", 9)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> old.patch("a", Patch.set("/priceCents", 9)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> old.softDelete("a")).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> old.delete("a")).isInstanceOf(InvalidArgumentException.class);
    // reads still work
    assertThat(old.findById("a").orElseThrow().value()).isEqualTo(new Product("a", "A", 1));
  }

  @Test
  default void aWriterWithoutAnIndexTheStoreHasIsRefusedAndWritesNothing() {
    ModelStore<Product> v1 = open(this, plain());
    v1.insert(new Product("a", "A", 1));
    ModelStore<Product> v2 = open(this, indexed());
    assertThat(v2.indexState("by_price")).isEqualTo(IndexState.WRITE_ONLY);
    assertRefused(v1);
    v2.buildIndex("by_price", 10, null);
    assertRefused(v1);
    assertThat(v2.findById("b")).isEmpty();
    assertThat(v2.findById("a").orElseThrow().version()).isEqualTo(1);
    assertThat(v2.count("by_price")).isEqualTo(1);
    assertThat(IndexAudit.actual(tito(), v2)).isEqualTo(IndexAudit.expected(tito(), v2));
    // a data store opened later with the old definition is refused too
    assertRefused(open(this, plain()));
    // once the index is dropped, the old definition may write again
    DataStore.models().model(plain()).open(tito()).dropIndex("stock", "by_price");
    v1.insert(new Product("c", "C", 3));
    assertThat(v1.findById("c")).isPresent();
  }

  @Test
  default void aRollingDeployRegistersTheIndexOnlyWhenAsked() {
    ModelStore<Product> v1 = open(this, plain());
    v1.insert(new Product("a", "A", 1));
    Model<Product> m2 = indexed();
    ModelStore<Product> v2 = DataStore.models().registerNewIndexes(false).model(m2)
        .open(tito()).store(m2);
    assertThat(v2.indexState("by_price")).isEqualTo(IndexState.DISABLED);
    // old and new processes both write while the new definition is rolled out
    v1.insert(new Product("b", "B", 2));
    v2.insert(new Product("c", "C", 3));
    assertThat(entries()).isZero();
    assertThatThrownBy(() -> v2.query("by_price").page())
        .isInstanceOf(InvalidArgumentException.class);
    // then, with every process on the new definition, one registers and builds the index
    assertThat(v2.buildIndex("by_price", 2, null).done()).isTrue();
    assertThat(v2.indexState("by_price")).isEqualTo(IndexState.READABLE);
    v2.insert(new Product("d", "D", 4));
    assertThatThrownBy(() -> v1.insert(new Product("e", "E", 5)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(v2.count("by_price")).isEqualTo(4);
    assertThat(IndexAudit.actual(tito(), v2)).isEqualTo(IndexAudit.expected(tito(), v2));
  }

  @Test
  default void markingANewIndexReadableOnAnEmptyTableDoesNotRaceAnInsert() throws Exception {
    ModelStore<Product> v1 = open(this, plain());
    ModelStore<Product>[] v2 = newStoreWhileAnOldWriterInserts(v1, "z", () -> open(this, indexed()));
    assertThat(v2[0].indexState("by_price")).isEqualTo(IndexState.READABLE);
    assertThat(IndexAudit.actual(tito(), v2[0])).isEqualTo(IndexAudit.expected(tito(), v2[0]));
  }

  @Test
  default void markingABuiltIndexReadableDoesNotRaceAnInsert() throws Exception {
    ModelStore<Product> v1 = open(this, plain());
    v1.insert(new Product("a", "A", 1));
    ModelStore<Product>[] v2 = newStoreWhileAnOldWriterInserts(v1, "z", () -> {
      ModelStore<Product> s = open(this, indexed());
      s.buildIndex("by_price", 10, null);
      return s;
    });
    assertThat(v2[0].indexState("by_price")).isEqualTo(IndexState.READABLE);
    assertThat(IndexAudit.actual(tito(), v2[0])).isEqualTo(IndexAudit.expected(tito(), v2[0]));
  }

  @Test
  default void aBuildDoesNotMissAnUpdateWhoseTransactionBeganBeforeTheIndexWasRegistered()
      throws Exception {
    ModelStore<Product> v1 = open(this, plain());
    for (String id : new String[] {"a", "b", "c", "d"}) {
      v1.insert(new Product(id, id, 1));
    }
    Model<Product> m2 = indexed();
    ModelStore<Product> rolling = DataStore.models().registerNewIndexes(false).model(m2)
        .open(tito()).store(m2);
    CountDownLatch updated = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    CompletableFuture<Void> writer = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        tito().inTransaction(tx -> {
          rolling.update(tx, new Product("b", "b", 99));
          updated.countDown();
          try {
            proceed.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        writer.complete(null);
      } catch (Throwable t) {
        writer.completeExceptionally(t);
      }
    });
    assertThat(updated.await(60, TimeUnit.SECONDS)).isTrue();
    // the writer read the header before the index existed, so its first attempt does not
    // maintain it; the build (one batch over "b", ending before the rest of the table) runs now
    ModelStore<Product> builder = open(this, m2);
    builder.buildIndex("by_price", 3, null);
    proceed.countDown();
    writer.get(60, TimeUnit.SECONDS);
    assertThat(builder.findById("b").orElseThrow().value().priceCents()).isEqualTo(99);
    assertThat(builder.query("by_price").eq(99L).page().values()).extracting(Product::id)
        .containsExactly("b");
    assertThat(IndexAudit.actual(tito(), builder)).isEqualTo(IndexAudit.expected(tito(), builder));
  }

  /**
   * Runs {@code newStore} while a transaction of {@code old} has inserted {@code id} (after
   * reading the table header) and not committed yet, then lets it commit: it must not commit
   * the record unindexed (it conflicts, and its retry is refused).
   */
  @SuppressWarnings("unchecked")
  private ModelStore<Product>[] newStoreWhileAnOldWriterInserts(ModelStore<Product> old,
      String id, java.util.function.Supplier<ModelStore<Product>> newStore) throws Exception {
    CountDownLatch inserted = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    CompletableFuture<Void> writer = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        tito().inTransaction(tx -> {
          old.insert(tx, new Product(id, "Z", 26));
          inserted.countDown();
          try {
            proceed.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        writer.complete(null);
      } catch (Throwable t) {
        writer.completeExceptionally(t);
      }
    });
    assertThat(inserted.await(60, TimeUnit.SECONDS)).isTrue();
    ModelStore<Product>[] out = new ModelStore[] {newStore.get()};
    proceed.countDown();
    assertThatThrownBy(() -> writer.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InvalidArgumentException.class);
    assertThat(out[0].findById(id)).isEmpty();
    return out;
  }
}
