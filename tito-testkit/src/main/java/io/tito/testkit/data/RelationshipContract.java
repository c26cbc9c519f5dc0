package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.data.DataStore;
import io.tito.data.MissingPolicy;
import io.tito.data.Model;
import io.tito.data.Versioned;
import io.tito.testkit.data.DataModels.Author;
import io.tito.testkit.data.DataModels.Item;
import io.tito.testkit.data.DataModels.Order;
import io.tito.testkit.data.DataModels.Post;
import io.tito.testkit.data.DataModels.Product;
import io.tito.testkit.data.DataModels.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hydration of single, many and nested references, several levels, missing records. */
public interface RelationshipContract extends DataFixture {

  private void blog() {
    authors().insert(new Author("ann", "Ann"));
    authors().insert(new Author("bo", "Bo"));
    tags().insert(new Tag("java", "Java", "bo", null));
    tags().insert(new Tag("db", "Databases", "ann", null));
    posts().insert(Post.of(1, "Hello", "ann", List.of("java", "db")));
    posts().insert(Post.of(2, "Again", "ann", List.of("db", "gone")));
    posts().insert(Post.of(3, "Orphan", "nobody", List.of()));
  }

  @Test
  default void hydratesOneAndManyReferences() {
    blog();
    List<Post> ps = posts().query("by_author").eq("ann").hydrate("author", "tags").page().values();
    assertThat(ps).extracting(p -> p.author().name()).containsExactly("Ann", "Ann");
    assertThat(ps.get(0).tags()).extracting(Tag::label).containsExactly("Java", "Databases");
    assertThat(ps.get(0).tags().get(0).creator()).isNull();
    // missing "gone" is skipped by default
    assertThat(ps.get(1).tags()).extracting(Tag::id).containsExactly("db");
  }

  @Test
  default void hydratesSeveralLevels() {
    blog();
    Post p = posts().scanAll().eq(1L).hydrate("tags.creator", "author").page().values().get(0);
    assertThat(p.tags()).extracting(t -> t.creator().name()).containsExactly("Bo", "Ann");
    assertThat(p.author().id()).isEqualTo("ann");
  }

  @Test
  default void missingReferencesAreSkippedOrFail() {
    blog();
    Post orphan = posts().scanAll().eq(3L).hydrate("author").page().values().get(0);
    assertThat(orphan.author()).isNull();
    assertThatThrownBy(() -> posts().scanAll().eq(3L).hydrate("author")
        .onMissing(MissingPolicy.FAIL).page())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("nobody");
    authors().softDelete("bo");
    Post p = posts().scanAll().eq(1L).hydrate("tags.creator").page().values().get(0);
    assertThat(p.tags().get(0).creator()).isNull();
  }

  @Test
  default void hydratesNestedPaths() {
    products().insert(new Product("p1", "Pen", 150));
    products().insert(new Product("p2", "Ink", 900));
    orders().insert(new Order("o1", List.of(new Item("p2", 1, null), new Item("p1", 3, null),
        new Item("p404", 1, null))));
    Order o = orders().scanAll().hydrate("products").page().values().get(0);
    assertThat(o.items()).extracting(i -> i.product() == null ? null : i.product().name())
        .containsExactly("Ink", "Pen", null);
    assertThat(o.items()).extracting(Item::quantity).containsExactly(1, 3, 1);
  }

  @Test
  default void hydrationInTheCallersTransaction() {
    blog();
    List<Versioned<Post>> out = tito().read(tx -> posts().hydrate(tx,
        posts().findByIds(tx, List.of(1L, 2L)), MissingPolicy.SKIP, "author"));
    assertThat(out).extracting(v -> v.value().author().name()).containsExactly("Ann", "Ann");
    assertThat(out).extracting(Versioned::version).containsExactly(1L, 1L);
  }

  @Test
  default void unknownRelationshipsFailClearly() {
    blog();
    assertThatThrownBy(() -> posts().scanAll().hydrate("editor").page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown relationship");
    Model<Post> bad = Model.builder(Post.class, "posts2").id(Post::id)
        .hasOne("author", "writers", Post::authorId, Post::withAuthor).build();
    assertThatThrownBy(() -> DataStore.models().model(bad).open(tito()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("relationship target table is not registered")
        .hasMessageContaining("writers");
  }

  @Test
  default void unknownRelationshipsFailOnAnEmptyPageToo() {
    // no data at all: the arguments are checked, not the rows
    assertThatThrownBy(() -> posts().scanAll().hydrate("editor"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown relationship");
    assertThatThrownBy(() -> posts().query("by_author").hydrate("tags.owner"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown relationship");
    assertThatThrownBy(() -> posts().query("by_author").hydrate((String) null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> tito().read(tx ->
        posts().hydrate(tx, List.of(), MissingPolicy.SKIP, "editor")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown relationship");
    assertThat(posts().query("by_author").hydrate("tags.creator").page().items()).isEmpty();
  }
}
