package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.data.DataStore;
import io.tito.data.IndexState;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.testkit.data.DataModels.Product;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A data store never answers a query from an index that another data store (standing for another
 * process) dropped, registered again or had not finished building in the query's snapshot: the
 * query fails with "not readable" or reads the complete index, never stale or missing rows.
 */
public interface IndexStateAcrossStoresContract extends DataFixture {

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

  private static List<String> ids(ModelStore<Product> s) {
    return s.query("by_price").page().values().stream().map(Product::id).toList();
  }

  private static void assertNotReadable(ModelStore<Product> s, IndexState state) {
    assertThatThrownBy(() -> s.query("by_price").page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not readable")
        .satisfies(e -> assertThat(((InvalidArgumentException) e).context())
            .containsEntry("index", "by_price").containsEntry("state", state.name()));
    assertThatThrownBy(() -> s.count("by_price")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("not readable");
    assertThat(s.indexState("by_price")).isEqualTo(state);
  }

  @Test
  default void aQueryFailsOnAnIndexAnotherStoreDropped() {
    ModelStore<Product> a = open(this, indexed());
    a.insert(new Product("a", "A", 1));
    a.insert(new Product("b", "B", 2));
    assertThat(ids(a)).containsExactly("a", "b");
    DataStore.models().model(plain()).open(tito()).dropIndex("stock", "by_price");
    assertNotReadable(a, IndexState.DISABLED);
    // the store no longer lists the index, so writes do not maintain it; a build brings it back
    a.insert(new Product("c", "C", 3));
    a.buildIndex("by_price", 2, null);
    assertThat(ids(a)).containsExactly("a", "b", "c");
    assertThat(IndexAudit.actual(tito(), a)).isEqualTo(IndexAudit.expected(tito(), a));
  }

  @Test
  default void aQueryFailsOnAnIndexAnotherStoreDroppedAndRegisteredAgainUntilItIsBuilt() {
    ModelStore<Product> a = open(this, indexed());
    a.insert(new Product("a", "A", 1));
    a.insert(new Product("b", "B", 2));
    assertThat(ids(a)).containsExactly("a", "b");
    DataStore.models().model(plain()).open(tito()).dropIndex("stock", "by_price");
    ModelStore<Product> b = open(this, indexed());
    assertThat(b.indexState("by_price")).isEqualTo(IndexState.WRITE_ONLY);
    assertNotReadable(a, IndexState.WRITE_ONLY);
    // a's writes maintain the index registered by b
    a.insert(new Product("c", "C", 3));
    a.update(new Product("a", "A", 4));
    assertNotReadable(a, IndexState.WRITE_ONLY);
    b.buildIndex("by_price", 1, null);
    assertThat(ids(a)).containsExactly("b", "c", "a");
    assertThat(a.indexState("by_price")).isEqualTo(IndexState.READABLE);
    assertThat(a.count("by_price")).isEqualTo(3);
    assertThat(IndexAudit.actual(tito(), a)).isEqualTo(IndexAudit.expected(tito(), a));
  }

  @Test
  default void aSnapshotTakenBeforeABuildEndedDoesNotReadTheIndexOnceItIsReadable()
      throws Exception {
    ModelStore<Product> a = open(this, plain());
    a.insert(new Product("a", "A", 1));
    a.insert(new Product("b", "B", 2));
    ModelStore<Product> b = open(this, indexed());
    assertThat(b.indexState("by_price")).isEqualTo(IndexState.WRITE_ONLY);
    CountDownLatch pinned = new CountDownLatch(1);
    CountDownLatch built = new CountDownLatch(1);
    CompletableFuture<List<String>> reader = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        reader.complete(tito().read(tx -> {
          b.findById(tx, "a"); // pins the snapshot: the index is WRITE_ONLY and empty in it
          pinned.countDown();
          try {
            built.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return b.query("by_price").page(tx).values().stream().map(Product::id).toList();
        }));
      } catch (Throwable t) {
        reader.completeExceptionally(t);
      }
    });
    assertThat(pinned.await(60, TimeUnit.SECONDS)).isTrue();
    b.buildIndex("by_price", 10, null);
    assertThat(ids(b)).containsExactly("a", "b"); // this store now caches READABLE
    built.countDown();
    // an engine may instead abort and retry the reader in a new snapshot: then it reads it all
    try {
      assertThat(reader.get(60, TimeUnit.SECONDS)).containsExactly("a", "b");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("not readable");
    }
  }
}
