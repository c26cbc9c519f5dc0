package io.tito.testkit.data;

import io.tito.data.Model;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The models the acceptance kit and the property tests use: users with every index kind, and a
 * small blog and shop for relationships. Values are records (Jackson maps them).
 */
public final class DataModels {

  private DataModels() {}

  /** A user status, indexed by name. */
  public enum Status { ACTIVE, BANNED }

  /** A user: every index kind reads one of its fields. */
  public record User(String id, String email, String name, String country, Integer age,
      Long score, Double rating, List<String> tags, boolean active, Status status) {

    public static User of(String id, String email, String name, String country, Integer age) {
      return new User(id, email, name, country, age, 0L, 0.0, List.of(), true, Status.ACTIVE);
    }

    public User withEmail(String v) {
      return new User(id, v, name, country, age, score, rating, tags, active, status);
    }

    public User withName(String v) {
      return new User(id, email, v, country, age, score, rating, tags, active, status);
    }

    public User withAge(Integer v) {
      return new User(id, email, name, country, v, score, rating, tags, active, status);
    }

    public User withScore(Long v) {
      return new User(id, email, name, country, age, v, rating, tags, active, status);
    }

    public User withRating(Double v) {
      return new User(id, email, name, country, age, score, v, tags, active, status);
    }

    public User withTags(List<String> v) {
      return new User(id, email, name, country, age, score, rating, v, active, status);
    }

    public User withActive(boolean v) {
      return new User(id, email, name, country, age, score, rating, tags, v, status);
    }

    public User withStatus(Status v) {
      return new User(id, email, name, country, age, score, rating, tags, active, v);
    }
  }

  /** Users with: unique email, name, composite (country, age), conditional active score,
   * multi-valued tags, covering rating, enum status; timestamps on. */
  public static Model<User> users() {
    return Model.builder(User.class, "users")
        .id(User::id)
        .index("by_email", ix -> ix.field("email", User::email).unique())
        .index("by_name", ix -> ix.field("name", User::name))
        .index("by_country_age", ix -> ix.field("country", User::country).field("age", User::age))
        .index("active_by_score", ix -> ix.field("score", User::score).where(User::active))
        .index("by_tag", ix -> ix.values(List.of("tag"), u -> {
          List<Tuple> out = new ArrayList<>();
          for (String t : u.tags() == null ? List.<String>of() : u.tags()) {
            out.add(Tuple.of(t));
          }
          return out;
        }))
        .index("by_rating", ix -> ix.field("rating", User::rating).covering())
        .index("by_status", ix -> ix.field("status", User::status))
        .timestamps(true)
        .build();
  }

  /** An author of posts and creator of tags. */
  public record Author(String id, String name) {}

  /** A tag, created by an author. */
  public record Tag(String id, String label, String creatorId, Author creator) {
    public Tag withCreator(Author a) {
      return new Tag(id, label, creatorId, a);
    }
  }

  /** A post with one author and many tags; ids are longs. */
  public record Post(Long id, String title, String authorId, List<String> tagIds, Author author,
      List<Tag> tags) {
    public static Post of(long id, String title, String authorId, List<String> tagIds) {
      return new Post(id, title, authorId, tagIds, null, null);
    }

    public Post withAuthor(Author a) {
      return new Post(id, title, authorId, tagIds, a, tags);
    }

    public Post withTags(List<Tag> t) {
      return new Post(id, title, authorId, tagIds, author, t);
    }
  }

  /** A product. */
  public record Product(String id, String name, long priceCents) {}

  /** An order line: a product id, hydrated into {@code product}. */
  public record Item(String productId, int quantity, Product product) {
    public Item withProduct(Product p) {
      return new Item(productId, quantity, p);
    }
  }

  /** An order of items (a nested relationship path). */
  public record Order(String id, List<Item> items) {
    public Order withItems(List<Item> v) {
      return new Order(id, v);
    }
  }

  public static Model<Author> authors() {
    return Model.builder(Author.class, "authors").id(Author::id).build();
  }

  public static Model<Tag> tags() {
    return Model.builder(Tag.class, "tags").id(Tag::id)
        .hasOne("creator", "authors", Tag::creatorId, Tag::withCreator)
        .build();
  }

  public static Model<Post> posts() {
    return Model.builder(Post.class, "posts").id(Post::id)
        .index("by_author", ix -> ix.field("author", Post::authorId))
        .hasOne("author", "authors", Post::authorId, Post::withAuthor)
        .hasMany("tags", "tags", Post::tagIds, Post::withTags)
        .build();
  }

  public static Model<Product> products() {
    return Model.builder(Product.class, "products").id(Product::id).build();
  }

  public static Model<Order> orders() {
    return Model.builder(Order.class, "orders").id(Order::id)
        .hasOneEach("products", "products", Order::items, Item::productId, Item::withProduct,
            Order::withItems)
        .build();
  }
}
