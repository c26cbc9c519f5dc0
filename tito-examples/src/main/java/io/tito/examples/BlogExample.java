package io.tito.examples;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Query;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A blog: authors, tags (each created by an author) and posts (one author, many tags). Pages
 * through an author's posts newest first with continuation tokens, and hydrates relationships
 * over two levels (post -> tags -> creator).
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.BlogExample [data-directory]}.
 */
public final class BlogExample {

  private BlogExample() {}

  /** An author. */
  public record Author(String id, String name) {}

  /** A tag and, once hydrated, its creator. */
  public record Tag(String id, String label, String creatorId, Author creator) {
    Tag withCreator(Author a) {
      return new Tag(id, label, creatorId, a);
    }
  }

  /** A post; {@code author} and {@code tags} are filled by hydration, not stored meaningfully. */
  public record Post(long id, String authorId, long day, String title, List<String> tagIds,
      Author author, List<Tag> tags) {
    Post withAuthor(Author a) {
      return new Post(id, authorId, day, title, tagIds, a, tags);
    }

    Post withTags(List<Tag> t) {
      return new Post(id, authorId, day, title, tagIds, author, t);
    }
  }

  static final Model<Author> AUTHORS = Model.builder(Author.class, "authors").id(Author::id)
      .build();
  static final Model<Tag> TAGS = Model.builder(Tag.class, "tags").id(Tag::id)
      .hasOne("creator", "authors", Tag::creatorId, Tag::withCreator)
      .build();
  static final Model<Post> POSTS = Model.builder(Post.class, "posts").id(Post::id)
      .index("by_author_day", ix -> ix.field("author", Post::authorId).field("day", Post::day))
      .index("by_tag", ix -> ix.values(List.of("tag"),
          p -> p.tagIds().stream().map(io.tito.tuple.Tuple::of).toList()))
      .hasOne("author", "authors", Post::authorId, Post::withAuthor)
      .hasMany("tags", "tags", Post::tagIds, Post::withTags)
      .build();

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("blog", args,
        store -> store.with(DataStore.models(AUTHORS, TAGS, POSTS)), BlogExample::run);
  }

  /**
   * The walk-through, on any engine, on a store opened with a data store that holds the three
   * models: {@code Tito.builder().url(...).with(DataStore.models(AUTHORS, TAGS, POSTS)).build()}.
   */
  public static void run(Tito tito, PrintStream out) {
    DataStore data = tito.module(DataStore.class);
    ModelStore<Author> authors = data.store(AUTHORS);
    ModelStore<Tag> tags = data.store(TAGS);
    ModelStore<Post> posts = data.store(POSTS);

    // one transaction writes the whole blog (save = upsert, so running twice is harmless)
    tito.inTransaction(tx -> {
      authors.save(tx, new Author("ann", "Ann"));
      authors.save(tx, new Author("bo", "Bo"));
      tags.save(tx, new Tag("java", "Java", "bo", null));
      tags.save(tx, new Tag("db", "Databases", "ann", null));
      String[] titles = {"Keys are tuples", "Indexes", "Continuations", "Relationships", "Paging"};
      for (int i = 0; i < titles.length; i++) {
        posts.save(tx, new Post(i + 1, "ann", 100 + i, titles[i],
            i % 2 == 0 ? List.of("java", "db") : List.of("db"), null, null));
      }
      posts.save(tx, new Post(6, "bo", 103, "Guest post", List.of("java"), null, null));
    });

    // page through Ann's posts, newest first, two per page, hydrating author and tag creators
    out.println("Ann's posts, newest first:");
    String token = null;
    int page = 0;
    do {
      Query<Post> q = posts.query("by_author_day").eq("ann").reverse().limit(2)
          .hydrate("author", "tags.creator").after(token);
      Page<Post> p = q.page();
      page++;
      for (Post post : p.values()) {
        out.println("  page " + page + ": " + post.title() + " by " + post.author().name()
            + " [" + post.tags().stream().map(t -> t.label() + " by " + t.creator().name())
                .collect(Collectors.joining(", ")) + "]");
      }
      token = p.continuation();
    } while (token != null);

    out.println("posts tagged java: " + posts.count("by_tag", "java"));
    out.println("posts tagged db on days 101..103: " + posts.query("by_author_day").eq("ann")
        .between(101, 103).filter(p -> p.tagIds().contains("db")).page().values().stream()
        .map(Post::title).toList());
  }
}
