package io.tito.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.docs.DocCollection;
import io.tito.docs.DocIndex;
import io.tito.docs.DocPage;
import io.tito.docs.DocPatch;
import io.tito.docs.DocumentSession;
import io.tito.docs.DocumentStore;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.pubsub.Message;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Documents: a customer directory of JSON documents with path indexes, queries (explained),
 * paging, a patch, and a session that stores a document, appends an event and publishes an
 * outbox message in one transaction.
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.CustomerDirectoryExample [dir]}.
 */
public final class CustomerDirectoryExample {

  private CustomerDirectoryExample() {}

  /** The modules the example needs: an event store and the document store. */
  public static List<TitoModule<?>> modules() {
    return List.of(EventStore.builder(), DocumentStore.builder()
        .sessionHeader("app", "directory")
        .collection("customers", DocIndex.unique("by_email", "email"),
            DocIndex.of("by_city_points", "address.city", "points"),
            DocIndex.of("by_tag", "tags[]")));
  }

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("directory", args, b -> {
      modules().forEach(b::with);
      return b;
    }, CustomerDirectoryExample::run);
  }

  /** The walk-through on a store opened with {@link #modules()}. */
  public static void run(Tito tito, PrintStream out) {
    DocumentStore docs = tito.module(DocumentStore.class);
    DocCollection<ObjectNode> customers = docs.collection("customers");
    for (String id : List.of("ada", "bob", "cy", "dee")) {
      customers.delete(id);
    }
    customers.put("ada", customer("ada@example.com", "Ada", "Oslo", 120, "vip"));
    customers.put("bob", customer("bob@example.com", "Bob", "Oslo", 40, "new"));
    customers.put("cy", customer("cy@example.com", "Cy", "Bergen", 300, "vip", "new"));

    DocPage<ObjectNode> page = customers.query(Filter.and(Filter.eq("address.city", "Oslo"),
        Filter.ge("points", 30))).orderBy(Order.desc("points")).limit(10).page();
    out.println("Oslo, most points first: " + names(page));
    out.println("plan: " + customers.query(Filter.and(Filter.eq("address.city", "Oslo"),
        Filter.ge("points", 30))).orderBy(Order.desc("points")).explain());
    out.println("vip customers: " + names(customers.query(Filter.contains("tags", "vip")).page()));
    out.println("names starting with B or C: " + customers.query(Filter.or(
        Filter.startsWith("name", "B"), Filter.startsWith("name", "C"))).count());
    out.println("projection: " + customers.query(Filter.eq("email", "cy@example.com"))
        .select("name", "address.city").values());
    customers.patch("bob", DocPatch.set("points", 500), 1);
    out.println("bob patched to v" + customers.get("bob").orElseThrow().version());

    tito.topics().createTopic("customer-events");
    DocumentSession session = docs.openSession();
    session.store(customers, "dee", customer("dee@example.com", "Dee", "Oslo", 10));
    session.append("customer-dee", ExpectedVersion.NO_STREAM,
        session.event("CustomerJoined", customer("dee@example.com", "Dee", "Oslo", 10)));
    session.publish("customer-events",
        Message.of("dee", "joined".getBytes(StandardCharsets.UTF_8)));
    session.saveChanges();
    long messages = 0;
    for (int p = 0; p < tito.topics().topic("customer-events").partitions(); p++) {
      messages += tito.topics().head("customer-events", p);
    }
    out.println("session committed: dee v" + customers.get("dee").orElseThrow().version()
        + ", stream version " + tito.module(EventStore.class).streamInfo("customer-dee").version()
        + ", outbox messages " + messages);
  }

  private static ObjectNode customer(String email, String name, String city, int points,
      String... tags) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("email", email).put("name", name).put("points", points);
    n.putObject("address").put("city", city);
    for (String t : tags) {
      n.withArray("tags").add(t);
    }
    return n;
  }

  private static List<String> names(DocPage<ObjectNode> page) {
    return page.values().stream().map(d -> d.get("name").asText()).toList();
  }
}
