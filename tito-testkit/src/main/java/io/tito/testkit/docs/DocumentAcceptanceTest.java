package io.tito.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.VersionConflictException;
import io.tito.docs.Doc;
import io.tito.docs.DocCollection;
import io.tito.docs.DocIndex;
import io.tito.docs.DocPage;
import io.tito.docs.DocPatch;
import io.tito.docs.DocumentSession;
import io.tito.docs.DocumentStore;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import io.tito.docs.TenantNotFoundException;
import io.tito.docs.TenantLayout;
import io.tito.docs.Tenants;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.pubsub.Message;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document-store acceptance kit (tito-docs): versions and conflicts, patches by path, unique
 * path indexes under concurrency, online index builds, planner answers against brute force
 * (paged by token and by number, both directions), sessions committing a document, an event and
 * an outbox message atomically, and tenants that cannot reach each other. An engine module runs
 * it through a subclass that returns a new, empty engine per test:
 *
 * <pre>{@code
 * class MemoryDocumentAcceptanceTest extends DocumentAcceptanceTest {
 *   protected Engine createEngine() { return new MemoryEngine(); }
 * }
 * }</pre>
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class DocumentAcceptanceTest {

  private Tito tito;
  private DocumentStore docs;

  /** A new, empty engine for one test; the kit closes it after the test. */
  protected abstract Engine createEngine();

  static List<TitoModule<?>> modules() {
    return List.of(EventStore.builder(), DocumentStore.builder()
        .collection("people", DocIndex.unique("by_email", "email"),
            DocIndex.of("by_country_age", "country", "age"), DocIndex.of("by_tag", "tags[]"),
            DocIndex.of("by_score", "score")));
  }

  @BeforeEach
  final void openStore() {
    Tito.Builder b = Tito.builder().engine(createEngine());
    modules().forEach(b::with);
    tito = b.build();
    docs = tito.module(DocumentStore.class);
  }

  @AfterEach
  final void closeStore() {
    if (tito != null) {
      tito.close();
    }
  }

  private DocCollection<ObjectNode> people() {
    return docs.collection("people");
  }

  private static ObjectNode person(String email, String country, int age, double score,
      String... tags) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("email", email).put("country", country).put("age", age).put("score", score);
    for (String t : tags) {
      n.withArray("tags").add(t);
    }
    return n;
  }

  @Test
  void versionsConflictsSoftDeleteAndRestore() {
    DocCollection<ObjectNode> p = people();
    assertThat(p.insert("a", person("a@x", "NO", 30, 1.5)).version()).isEqualTo(1);
    assertThat(p.replace("a", person("a@x", "NO", 31, 1.5), 1).version()).isEqualTo(2);
    assertThatThrownBy(() -> p.replace("a", person("a@x", "NO", 99, 0), 1))
        .isInstanceOf(VersionConflictException.class);
    assertThat(p.update("a", d -> d.put("age", 32)).version()).isEqualTo(3);
    p.softDelete("a");
    assertThat(p.get("a")).isEmpty();
    assertThat(p.query(Filter.eq("country", "NO")).count()).isZero();
    p.restore("a");
    assertThat(p.get("a").orElseThrow().value().get("age").asInt()).isEqualTo(32);
    assertThat(p.delete("a")).isTrue();
    assertThat(p.get("a")).isEmpty();
  }

  @Test
  void aUnionCountsEachDocumentOnceFromItsIndexes() {
    DocCollection<ObjectNode> p = people();
    p.insert("u1", person("u1@x", "FI", 30, 1, "x")); // in both branches
    p.insert("u2", person("u2@x", "FI", 31, 1)); // country only
    p.insert("u3", person("u3@x", "IS", 32, 1, "x", "y")); // tag only
    p.insert("u4", person("u4@x", "FI", 33, 1, "x")); // both, soft-deleted below
    p.insert("u5", person("u5@x", "IS", 34, 1, "y")); // neither
    p.softDelete("u4");
    Filter f = Filter.or(Filter.eq("country", "FI"), Filter.contains("tags", "x"));
    assertThat(p.query(f).explain().toString()).contains("(count from index)");
    assertThat(p.query(f).count()).as("u1 is in both branches, u4 is deleted").isEqualTo(3);
    // each branch holds 3 entries, 2 of them live: the second branch gets what the first left
    assertThat(p.query(f).scanLimit(5).count()).isEqualTo(3);
    assertThatThrownBy(() -> p.query(f).scanLimit(4).count())
        .isInstanceOf(io.tito.LimitExceededException.class);
  }

  @Test
  void patchesWithUnknownPathsWriteNothing() {
    DocCollection<ObjectNode> p = people();
    p.insert("a", person("a@x", "NO", 30, 1));
    assertThatThrownBy(() -> p.patch("a", DocPatch.set("age", 1).andSet("nope", 2), 1))
        .isInstanceOf(InvalidArgumentException.class);
    Doc<ObjectNode> d = p.get("a").orElseThrow();
    assertThat(d.version()).isEqualTo(1);
    assertThat(p.query(Filter.eq("country", "NO")).page().values().get(0).get("age").asInt())
        .isEqualTo(30);
    assertThat(p.patch("a", DocPatch.set("age", 40).andSet("country", "SE"), 1).version())
        .isEqualTo(2);
    assertThat(p.query(Filter.and(Filter.eq("country", "SE"), Filter.eq("age", 40))).count())
        .isEqualTo(1);
    assertThat(p.query(Filter.eq("country", "NO")).count()).isZero();
  }

  @Test
  void uniqueIndexesHoldUnderConcurrentWriters() throws Exception {
    DocCollection<ObjectNode> p = people();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    int ok = 0;
    int taken = 0;
    try {
      List<Callable<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String id = "u" + i;
        calls.add(() -> {
          try {
            p.insert(id, person("same@x", "NO", 20, 0));
            return true;
          } catch (AlreadyExistsException e) {
            return false;
          }
        });
      }
      for (Future<Boolean> f : pool.invokeAll(calls)) {
        if (f.get()) {
          ok++;
        } else {
          taken++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ok).isEqualTo(1);
    assertThat(taken).isEqualTo(5);
    assertThat(p.query(Filter.eq("email", "same@x")).count()).isEqualTo(1);
  }

  @Test
  void indexesDeclaredLaterAreBuiltOnline() {
    DocCollection<ObjectNode> p = people();
    for (int i = 0; i < 25; i++) {
      p.insert("p" + i, person("e" + i, i % 2 == 0 ? "NO" : "SE", i, i).put("city", "c" + i % 5));
    }
    DocumentStore later = DocumentStore.builder().collection("people",
        DocIndex.unique("by_email", "email"), DocIndex.of("by_country_age", "country", "age"),
        DocIndex.of("by_tag", "tags[]"), DocIndex.of("by_score", "score"),
        DocIndex.of("by_city", "city")).open(tito);
    DocCollection<ObjectNode> q = later.collection("people");
    q.buildIndex("by_city", 7, null);
    DocPage<ObjectNode> page = q.query(Filter.eq("city", "c3")).page();
    assertThat(q.query(Filter.eq("city", "c3")).explain().index()).isEqualTo("by_city");
    assertThat(page.items()).extracting(Doc::id).containsExactly("p13", "p18", "p23", "p3", "p8");
  }

  @Test
  void plannerAnswersEqualBruteForce() {
    DocCollection<ObjectNode> p = people();
    Random rnd = new Random(42);
    List<Doc<ObjectNode>> all = new ArrayList<>();
    String[] countries = {"NO", "SE", "DK"};
    String[] tags = {"a", "b", "c"};
    for (int i = 0; i < 120; i++) {
      ObjectNode n = person("m" + i, countries[rnd.nextInt(3)], rnd.nextInt(50),
          rnd.nextInt(20) / 2.0, tags[rnd.nextInt(3)]);
      if (rnd.nextInt(5) == 0) {
        n.remove("score");
      }
      all.add(p.insert(String.format("id%03d", rnd.nextInt(1000) * 1000 + i), n));
    }
    List<Filter> filters = List.of(Filter.eq("country", "NO"),
        Filter.and(Filter.eq("country", "SE"), Filter.between("age", 10, 30)),
        Filter.contains("tags", "b"), Filter.gt("score", 4.5),
        Filter.or(Filter.lt("age", 5), Filter.eq("country", "DK")),
        Filter.and(Filter.not(Filter.exists("score")), Filter.ge("age", 20)), Filter.all());
    List<List<Order>> orders = List.of(List.of(), List.of(Order.asc("age")),
        List.of(Order.desc("score")), List.of(Order.desc("age")),
        List.of(Order.asc("country"), Order.desc("age")));
    for (Filter f : filters) {
      for (List<Order> o : orders) {
        List<String> expected = bruteForce(all, f, o);
        List<String> got = new ArrayList<>();
        String token = null;
        do {
          DocPage<ObjectNode> page = p.query(f).orderBy(o.toArray(Order[]::new)).limit(7)
              .after(token).page();
          page.items().forEach(d -> got.add(d.id()));
          token = page.continuation();
        } while (token != null);
        assertThat(got).as("%s order %s", f, o).isEqualTo(expected);
        List<String> byNumber = p.query(f).orderBy(o.toArray(Order[]::new)).page(2, 5).page()
            .items().stream().map(Doc::id).toList();
        assertThat(byNumber).isEqualTo(expected.subList(Math.min(5, expected.size()),
            Math.min(10, expected.size())));
      }
    }
  }

  private static List<String> bruteForce(List<Doc<ObjectNode>> all, Filter f, List<Order> o) {
    List<Doc<ObjectNode>> hits = new ArrayList<>(all.stream()
        .filter(d -> f.test(d.value())).toList());
    Comparator<Doc<ObjectNode>> cmp = (x, y) -> 0;
    for (Order k : o) {
      Comparator<Doc<ObjectNode>> c = (x, y) -> compare(x.value().get(k.path()),
          y.value().get(k.path()));
      cmp = cmp.thenComparing(k.descending() ? c.reversed() : c);
    }
    Comparator<Doc<ObjectNode>> byId = Comparator.comparing(Doc::id);
    boolean desc = !o.isEmpty() && o.get(o.size() - 1).descending();
    hits.sort(cmp.thenComparing(desc ? byId.reversed() : byId));
    return hits.stream().map(Doc::id).toList();
  }

  private static int compare(JsonNode a, JsonNode b) {
    boolean an = a == null || a.isNull();
    boolean bn = b == null || b.isNull();
    if (an || bn) {
      return Boolean.compare(!an, !bn);
    }
    return a.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue())
        : a.asText().compareTo(b.asText());
  }

  @Test
  void sessionsCommitDocumentEventAndMessageTogether() {
    tito.topics().createTopic("people-events");
    DocCollection<ObjectNode> p = people();
    p.insert("old", person("old@x", "NO", 1, 1));
    DocumentSession s = docs.openSession();
    s.load(p, "old");
    s.store(p, "new", person("new@x", "SE", 2, 2));
    s.append("person-new", ExpectedVersion.NO_STREAM, s.event("Joined", person("n", "SE", 2, 2)));
    s.publish("people-events", Message.of("new", new byte[] {1}));
    p.patch("old", DocPatch.set("age", 5));
    assertThatThrownBy(s::saveChanges).isInstanceOf(VersionConflictException.class);
    assertThat(p.get("new")).isEmpty();
    assertThat(tito.module(EventStore.class).streamInfo("person-new").version()).isZero();
    assertThat(published()).isZero();

    DocumentSession ok = docs.openSession();
    ok.store(p, "new", person("new@x", "SE", 2, 2));
    ok.append("person-new", ExpectedVersion.NO_STREAM, ok.event("Joined", person("n", "SE", 2, 2)));
    ok.publish("people-events", Message.of("new", new byte[] {1}));
    ok.saveChanges();
    assertThat(p.get("new")).isPresent();
    assertThat(tito.module(EventStore.class).streamInfo("person-new").version()).isEqualTo(1);
    assertThat(published()).isEqualTo(1);
  }

  private long published() {
    long n = 0;
    for (int i = 0; i < tito.topics().topic("people-events").partitions(); i++) {
      n += tito.topics().head("people-events", i);
    }
    return n;
  }

  @Test
  void tenantsCannotReachEachOther() {
    tenantsCannotReachEachOther(TenantLayout.KEY_PREFIX);
  }

  /** One table set per tenant on SQL servers: for engines declaring {@code KEYSPACES}. */
  @Test
  void tenantsInKeyspacesOfTheirOwnCannotReachEachOther() {
    Assumptions.assumeTrue(tito.engine().capabilities().contains(Capability.KEYSPACES),
        "engine does not declare KEYSPACES");
    tenantsCannotReachEachOther(TenantLayout.KEYSPACE);
  }

  @Test
  void archivedTenantsAreRestoredIntact(@TempDir Path dir) {
    archiveAndRestore(TenantLayout.KEY_PREFIX, dir);
  }

  @Test
  void archivedKeyspaceTenantsAreRestoredIntact(@TempDir Path dir) {
    Assumptions.assumeTrue(tito.engine().capabilities().contains(Capability.KEYSPACES),
        "engine does not declare KEYSPACES");
    archiveAndRestore(TenantLayout.KEYSPACE, dir);
  }

  private void archiveAndRestore(TenantLayout layout, Path dir) {
    try (Tenants tenants = Tenants.of(tito, name -> modules(), 1, layout)) {
      tenants.ensure("arch");
      DocCollection<ObjectNode> a = tenants.documents("arch").collection("people");
      for (int i = 0; i < 30; i++) {
        a.insert("p" + i, person("p" + i + "@x", i % 2 == 0 ? "NO" : "SE", i, i));
      }
      tenants.open("arch").module(EventStore.class).append("s-1", ExpectedVersion.NO_STREAM,
          EventData.ofJson("Joined", "{}"));
      Path file = dir.resolve("arch.archive");
      long n = tenants.archive("arch", file);
      tenants.drop("arch", true);
      assertThat(tenants.list()).isEmpty();
      assertThat(tenants.restore(file).layout()).isEqualTo(layout);
      Tito back = tenants.open("arch");
      assertThat(back.<List<KeyValue>>read(tx -> tx.scan(KeyRange.ALL).toList())).hasSize((int) n);
      DocCollection<ObjectNode> b = tenants.documents("arch").collection("people");
      assertThat(b.query(Filter.and(Filter.eq("country", "NO"), Filter.ge("age", 20))).count())
          .isEqualTo(5);
      assertThat(back.module(EventStore.class).streamInfo("s-1").version()).isEqualTo(1);
      tenants.drop("arch", true);
    }
  }

  private void tenantsCannotReachEachOther(TenantLayout layout) {
    try (Tenants tenants = Tenants.of(tito, name -> modules(), 1, layout)) {
      tenants.ensure("t1");
      tenants.ensure("t2");
      DocCollection<ObjectNode> a = tenants.documents("t1").collection("people");
      DocCollection<ObjectNode> b = tenants.documents("t2").collection("people");
      a.insert("x", person("same@x", "NO", 1, 1));
      b.insert("x", person("same@x", "SE", 2, 2));
      assertThat(a.query(Filter.eq("email", "same@x")).page().values())
          .extracting(d -> d.get("country").asText()).containsExactly("NO");
      assertThat(people().get("x")).as("the shared store sees no tenant's document").isEmpty();
      Tito t1 = tenants.open("t1");
      List<KeyValue> keys = t1.read(tx -> tx.scan(KeyRange.ALL).toList());
      assertThat(keys).allSatisfy(kv -> assertThat(new String(kv.value(),
          java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("\"SE\""));
      assertThatThrownBy(() -> tenants.open("t3")).isInstanceOf(TenantNotFoundException.class);
      Tito t2 = tenants.open("t2");
      t1.module(EventStore.class).append("s-1", ExpectedVersion.NO_STREAM,
          EventData.ofJson("Joined", "{}"));
      assertThat(t2.module(EventStore.class).streamInfo("s-1").version()).isZero();
      assertThat(tenants.status("t1").layout()).isEqualTo(layout);
      tenants.drop("t1", true);
      assertThat(b.get("x")).isPresent();
      tenants.ensure("t1");
      assertThat(tenants.documents("t1").collection("people").get("x"))
          .as("a dropped tenant comes back empty").isEmpty();
      tenants.drop("t1", true);
      tenants.drop("t2", true);
    }
  }
}
