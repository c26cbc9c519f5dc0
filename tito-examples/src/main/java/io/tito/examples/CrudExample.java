package io.tito.examples;

import io.tito.AlreadyExistsException;
import io.tito.Tito;
import io.tito.VersionConflictException;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Patch;
import io.tito.data.Versioned;
import java.io.PrintStream;
import java.util.List;

/**
 * Models and CRUD: a customer model with a unique and a composite index; insert, optimistic
 * update, patch, queries, counts, soft delete and restore, delete.
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.CrudExample [data-directory]}.
 */
public final class CrudExample {

  private CrudExample() {}

  /** A customer; Jackson stores it as JSON. */
  public record Customer(String id, String email, String name, String city, int points) {}

  /** The model: id, a unique email index, a (city, points) index, timestamps. */
  public static final Model<Customer> CUSTOMERS = Model.builder(Customer.class, "customers")
      .id(Customer::id)
      .index("by_email", ix -> ix.field("email", Customer::email).unique())
      .index("by_city_points", ix -> ix.field("city", Customer::city)
          .field("points", Customer::points))
      .timestamps(true)
      .build();

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("crud", args,
        store -> store.with(DataStore.models(CUSTOMERS)), CrudExample::run);
  }

  /**
   * The walk-through, on any engine, on a store opened with a data store that holds {@link
   * #CUSTOMERS}: {@code Tito.builder().url(...).with(DataStore.models(CUSTOMERS)).build()}.
   */
  public static void run(Tito tito, PrintStream out) {
    ModelStore<Customer> customers = tito.module(DataStore.class).store(CUSTOMERS);
    for (String id : List.of("ada", "bob", "cy")) {
      customers.delete(id); // start clean when run twice on one store
    }

    // insert: version 1; a second insert of the id, or of the email, fails
    for (Customer c : List.of(new Customer("ada", "ada@example.com", "Ada", "Oslo", 120),
        new Customer("bob", "bob@example.com", "Bob", "Oslo", 40),
        new Customer("cy", "cy@example.com", "Cy", "Bergen", 300))) {
      out.println("inserted " + c.id() + " v" + customers.insert(c).version());
    }
    try {
      customers.insert(new Customer("eve", "ada@example.com", "Eve", "Oslo", 0));
    } catch (AlreadyExistsException e) {
      out.println("rejected eve: " + e.staticMessage() + " (held by " + e.context().get("heldBy") + ")");
    }

    // optimistic update: pass the version you read
    Versioned<Customer> ada = customers.findById("ada").orElseThrow();
    Versioned<Customer> v2 = customers.update(
        new Customer("ada", "ada@example.com", "Ada Lovelace", "Oslo", 120), ada.version());
    out.println("updated ada to v" + v2.version());
    try {
      customers.update(new Customer("ada", "ada@example.com", "Stale", "Oslo", 0), ada.version());
    } catch (VersionConflictException e) {
      out.println("stale update refused: expected v" + e.context().get("expected")
          + ", stored v" + e.context().get("actual"));
    }

    // patch: change a field by path, no read-modify-write in your code; indexes follow
    out.println("patched bob to v" + customers.patch("bob", Patch.set("/points", 500)).version());

    // query: equality on city, range on points, highest first
    out.println("Oslo customers with at least 100 points, most first:");
    for (Customer c : customers.query("by_city_points").eq("Oslo").ge(100).reverse().page()
        .values()) {
      out.println("  " + c.name() + " " + c.points());
    }
    out.println("customers in Oslo: " + customers.count("by_city_points", "Oslo"));

    // soft delete hides a record from reads and queries; restore brings it back
    customers.softDelete("cy");
    out.println("cy visible after soft delete: " + customers.exists("cy"));
    out.println("cy restored at v" + customers.restore("cy").version());

    // delete removes the record and its index entries
    customers.delete("bob");
    out.println("bob exists after delete: " + customers.exists("bob"));
    out.println("by email ada@example.com: "
        + customers.query("by_email").eq("ada@example.com").page().values().get(0).name());
  }
}
