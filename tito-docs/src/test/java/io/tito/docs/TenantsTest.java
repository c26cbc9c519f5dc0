package io.tito.docs;

import static io.tito.docs.DocCollectionTest.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.spi.EngineLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantsTest {

  private Tito shared;
  private Tenants tenants;

  static List<TitoModule<?>> modules(String tenant) {
    return List.of(EventStore.builder(), DocumentStore.builder()
        .collection("customers", DocIndex.unique("by_email", "email")));
  }

  @BeforeEach
  void open() {
    shared = Tito.open(new MemoryEngine());
    tenants = Tenants.of(shared, TenantsTest::modules, 1);
  }

  @AfterEach
  void close() {
    tenants.close();
    shared.close();
  }

  @Test
  void tenantsCannotSeeEachOthersData() {
    tenants.ensure("acme");
    tenants.ensure("globex");
    DocCollection<ObjectNode> a = tenants.documents("acme").collection("customers");
    DocCollection<ObjectNode> g = tenants.documents("globex").collection("customers");
    a.insert("c1", doc("{'email':'x@y','name':'acme'}"));
    assertThat(g.get("c1")).isEmpty();
    g.insert("c1", doc("{'email':'x@y','name':'globex'}")); // same id, same unique value
    assertThat(a.get("c1").orElseThrow().value().get("name").asText()).isEqualTo("acme");
    assertThat(g.query(Filter.eq("email", "x@y")).page().values())
        .extracting(d -> d.get("name").asText()).containsExactly("globex");
    assertThat(a.delete("c1")).isTrue();
    assertThat(g.get("c1")).isPresent();

    Tito acme = tenants.open("acme");
    Tito globex = tenants.open("globex");
    acme.module(EventStore.class).append("s-1", ExpectedVersion.NO_STREAM,
        EventData.ofJson("Created", "{}"));
    assertThat(globex.module(EventStore.class).streamInfo("s-1").version()).isZero();
    acme.topics().createTopic("news");
    acme.topics().publish("news", Message.of("k", new byte[] {1}));
    assertThatThrownBy(() -> globex.topics().publish("news", Message.of("k", new byte[] {1})))
        .isInstanceOf(NotFoundException.class);

    List<KeyValue> acmeKeys = acme.read(tx -> tx.scan(KeyRange.ALL).toList());
    List<KeyValue> globexKeys = globex.read(tx -> tx.scan(KeyRange.ALL).toList());
    assertThat(acmeKeys).isNotEmpty();
    assertThat(globexKeys).isNotEmpty();
    assertThat(acmeKeys.stream().map(kv -> new String(kv.value(),
        java.nio.charset.StandardCharsets.ISO_8859_1)))
        .noneMatch(v -> v.contains("globex"));
    assertThat(globexKeys.stream().map(kv -> new String(kv.value(),
        java.nio.charset.StandardCharsets.ISO_8859_1)))
        .noneMatch(v -> v.contains("acme"));
    List<KeyValue> sharedKeys = shared.read(tx -> tx.scan(KeyRange.ALL).toList());
    assertThat(sharedKeys.size()).isEqualTo(acmeKeys.size() + globexKeys.size() + 2);
  }

  @Test
  void aKeyPrefixTenantLargerThanOneTransactionIsDroppedWhole() {
    // 64 KiB per transaction: the tenant below holds several times that, written in many
    // transactions, so a drop that wrote one delete per key could not commit.
    long maxTransaction = 64 * 1024;
    try (Tito small = Tito.open(new MemoryEngine(new EngineLimits(8 * 1024, 16 * 1024, maxTransaction)));
        Tenants smallTenants = Tenants.of(small, TenantsTest::modules, 1)) {
      smallTenants.ensure("big");
      smallTenants.ensure("kept");
      DocCollection<ObjectNode> big = smallTenants.documents("big").collection("customers");
      String padding = "p".repeat(400);
      for (int i = 0; i < 600; i++) {
        big.insert("c" + i, doc("{'email':'c" + i + "@big','pad':'" + padding + "'}"));
      }
      smallTenants.documents("kept").collection("customers").insert("k1", doc("{'email':'k@kept'}"));
      long tenantBytes = smallTenants.open("big").read(tx -> tx.scan(KeyRange.ALL).toList()).stream()
          .mapToLong(kv -> kv.key().length + kv.value().length).sum();
      assertThat(tenantBytes).isGreaterThan(3 * maxTransaction);

      smallTenants.drop("big", true);

      assertThat(smallTenants.list()).extracting(TenantInfo::name).containsExactly("kept");
      List<KeyValue> left = small.read(tx -> tx.scan(KeyRange.ALL).toList());
      long keptKeys = smallTenants.open("kept").read(tx -> tx.scan(KeyRange.ALL).toList()).size();
      assertThat(left).hasSize((int) keptKeys + 1); // the kept tenant's keys and its catalogue entry
      assertThat(smallTenants.documents("kept").collection("customers").get("k1")).isPresent();
    }
  }

  @Test
  void sessionDefaultsAreConfiguredOncePerTenantOnTheBuilder() {
    try (Tenants tagged = Tenants.of(shared, name -> List.of(EventStore.builder(),
        DocumentStore.builder().sessionHeader("tenant", name).collection("customers")), 1)) {
      tagged.ensure("acme");
      tagged.ensure("globex");
      for (String tenant : List.of("acme", "globex")) {
        DocumentSession s = tagged.openSession(tenant);
        s.store(tagged.documents(tenant).collection("customers"), "c1", doc("{'email':'e'}"));
        s.append("customer-c1", ExpectedVersion.NO_STREAM, s.event("Joined", doc("{}")));
        s.saveChanges();
      }
      for (String tenant : List.of("acme", "globex")) {
        EventStore events = tagged.open(tenant).module(EventStore.class);
        assertThat(events.readStream("customer-c1", 1, 10).events())
            .singleElement().satisfies(e -> assertThat(e.headers()).containsEntry("tenant", tenant));
      }
    }
  }

  @Test
  void ensureIsIdempotentAndSafeConcurrently() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<TenantInfo>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> tenants.ensure("race"));
      }
      List<TenantInfo> got = new ArrayList<>();
      for (Future<TenantInfo> f : pool.invokeAll(calls)) {
        got.add(f.get());
      }
      assertThat(got.stream().map(TenantInfo::createdAt).distinct()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(tenants.list()).extracting(TenantInfo::name).containsExactly("race");
  }

  @Test
  void unknownTenantsDroppingAndArchiving(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> tenants.openSession("nobody"))
        .isInstanceOf(TenantNotFoundException.class);
    assertThatThrownBy(() -> tenants.documents("nobody"))
        .isInstanceOf(TenantNotFoundException.class).hasMessageContaining("nobody");
    assertThatThrownBy(() -> tenants.ensure("bad name!"))
        .isInstanceOf(InvalidArgumentException.class);
    tenants.ensure("acme");
    tenants.documents("acme").collection("customers").insert("c1", doc("{'email':'e'}"));
    int keys = tenants.open("acme").read(tx -> tx.scan(KeyRange.ALL).toList()).size();
    Path file = dir.resolve("acme.archive");
    assertThat(tenants.archive("acme", file)).isEqualTo(keys);
    assertThat(Files.size(file)).isGreaterThan(0);
    assertThatThrownBy(() -> tenants.drop("acme", false))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(tenants.status("acme").name()).isEqualTo("acme");
    tenants.drop("acme", true);
    assertThatThrownBy(() -> tenants.open("acme")).isInstanceOf(TenantNotFoundException.class);
    List<KeyValue> left = shared.read(tx -> tx.scan(KeyRange.ALL).toList());
    assertThat(left).isEmpty();
    tenants.ensure("acme");
    assertThat(tenants.documents("acme").collection("customers").get("c1")).isEmpty();
  }

  @Test
  void aHealthCheckListsTenantsWhoseDefinitionsLag() {
    tenants.ensure("old");
    tenants.ensure("older");
    try (Tenants newer = Tenants.of(shared, TenantsTest::modules, 2)) {
      assertThat(newer.lagging()).extracting(TenantInfo::name).containsExactly("old", "older");
      newer.open("old");
      assertThat(newer.lagging()).extracting(TenantInfo::name).containsExactly("older");
      assertThat(newer.status("old").definitionVersion()).isEqualTo(2);
      newer.ensure("fresh");
      assertThat(newer.status("fresh").lagging()).isFalse();
    }
  }

  @Test
  void anArchivedTenantIsRestoredWithItsDataIntact(@TempDir Path dir) {
    tenants.ensure("acme");
    DocCollection<ObjectNode> c = tenants.documents("acme").collection("customers");
    for (int i = 0; i < 2500; i++) { // more than one restore batch
      c.insert("c" + i, doc("{'email':'e" + i + "@x','n':" + i + "}"));
    }
    tenants.open("acme").module(EventStore.class).append("s-1", ExpectedVersion.NO_STREAM,
        EventData.ofJson("Created", "{}"));
    List<KeyValue> before = tenants.open("acme").read(tx -> tx.scan(KeyRange.ALL).toList());
    Path file = dir.resolve("acme.archive");
    assertThat(tenants.archive("acme", file)).isEqualTo(before.size());
    tenants.drop("acme", true);
    assertThatThrownBy(() -> tenants.open("acme")).isInstanceOf(TenantNotFoundException.class);

    TenantInfo restored = tenants.restore(file);
    assertThat(restored.name()).isEqualTo("acme");
    assertThat(restored.state()).isEqualTo(TenantState.ACTIVE);
    assertThat(restored.definitionVersion()).isEqualTo(1);
    List<KeyValue> after = tenants.open("acme").read(tx -> tx.scan(KeyRange.ALL).toList());
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).key()).isEqualTo(before.get(i).key());
      assertThat(after.get(i).value()).isEqualTo(before.get(i).value());
    }
    DocCollection<ObjectNode> back = tenants.documents("acme").collection("customers");
    assertThat(back.query(Filter.eq("email", "e7@x")).page().values())
        .extracting(d -> d.get("n").asInt()).containsExactly(7);
    assertThatThrownBy(() -> back.insert("dup", doc("{'email':'e7@x'}")))
        .as("the unique index came back too").isInstanceOf(io.tito.AlreadyExistsException.class);
    assertThat(tenants.open("acme").module(EventStore.class).streamInfo("s-1").version())
        .isEqualTo(1);

    assertThatThrownBy(() -> tenants.restore(file)).as("it exists")
        .isInstanceOf(io.tito.AlreadyExistsException.class);
    tenants.restore(file, "acme-copy");
    tenants.documents("acme-copy").collection("customers").delete("c7");
    assertThat(back.get("c7")).as("the copy is another tenant").isPresent();
  }

  @Test
  void eventsAppendedAfterARestoreIntoAnotherStoreSortAboveTheArchivedOnes(@TempDir Path dir) {
    tenants.ensure("acme");
    EventStore events = tenants.open("acme").module(EventStore.class);
    for (int i = 0; i < 20; i++) {
      events.append("s-" + (i % 2), ExpectedVersion.ANY, EventData.ofJson("Happened", "{}"));
    }
    io.tito.Stamp head = events.headPosition();
    Path file = dir.resolve("acme.archive");
    tenants.archive("acme", file);
    // A fresh store: its commit versions start again below the archived stamps.
    try (Tito fresh = Tito.open(new MemoryEngine()); Tenants elsewhere = Tenants.of(fresh, TenantsTest::modules, 1)) {
      elsewhere.restore(file);
      EventStore restored = elsewhere.open("acme").module(EventStore.class);
      assertThat(restored.headPosition()).isEqualTo(head);
      io.tito.Stamp appended = restored.append("s-0", ExpectedVersion.ANY, EventData.ofJson("Happened", "{}"))
          .firstPosition();
      assertThat(appended).as("first append after the restore").isGreaterThan(head);
      assertThat(restored.readAll(head, 10, io.tito.events.EventFilter.ALL).events())
          .as("a reader resuming from the archived head").extracting(e -> e.position()).containsExactly(appended);
    }
  }

  @Test
  void aRestoreThatFailsPartWayLeavesATenantNobodyCanOpenUntilRestoredAgain(@TempDir Path dir)
      throws Exception {
    tenants.ensure("acme");
    DocCollection<ObjectNode> c = tenants.documents("acme").collection("customers");
    for (int i = 0; i < 3000; i++) {
      c.insert("c" + i, doc("{'email':'e" + i + "@x'}"));
    }
    Path file = dir.resolve("acme.archive");
    tenants.archive("acme", file);
    tenants.drop("acme", true);
    Path cut = dir.resolve("cut.archive");
    byte[] all = Files.readAllBytes(file);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length * 3 / 4));

    assertThatThrownBy(() -> tenants.restore(cut)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("incomplete");
    assertThat(tenants.status("acme").state()).isEqualTo(TenantState.RESTORING);
    assertThatThrownBy(() -> tenants.open("acme")).isInstanceOf(TenantNotFoundException.class);
    assertThat(tenants.restore(file).state()).isEqualTo(TenantState.ACTIVE);
    assertThat(tenants.documents("acme").collection("customers").query(Filter.all())
        .count()).isEqualTo(3000);
    assertThatThrownBy(() -> tenants.restore(dir.resolve("nothing-there")))
        .isInstanceOf(java.io.UncheckedIOException.class);
  }

  static List<TitoModule<?>> modulesV2(String tenant) {
    return List.of(EventStore.builder(), DocumentStore.builder()
        .collection("customers", DocIndex.of("by_email", "email"), DocIndex.of("by_name", "name"))
        .collection("orders", DocIndex.of("by_customer", "customer")));
  }

  @Test
  void driftIsReportedIndexByIndex() {
    tenants.ensure("acme");
    tenants.open("acme");
    tenants.ensure("new");
    assertThat(tenants.drift("acme")).allSatisfy(d -> assertThat(d.drifted()).isFalse());
    assertThat(tenants.lagging()).isEmpty();
    try (Tenants v2 = Tenants.of(shared, TenantsTest::modulesV2, 1)) {
      assertThat(v2.drift("acme")).containsExactly(
          new IndexDrift("doc.customers", "by_email", IndexDrift.Status.CHANGED),
          new IndexDrift("doc.customers", "by_name", IndexDrift.Status.ADDED),
          new IndexDrift("doc.orders", "by_customer", IndexDrift.Status.ADDED));
      assertThat(v2.lagging()).as("same definition version, other indexes")
          .extracting(TenantInfo::name).containsExactly("acme", "new");
      // A changed definition under a registered name would mix entries of both definitions in one
      // index: the data layer refuses to open it (rename the index, or drop it and build it again).
      assertThatThrownBy(() -> v2.open("acme")).isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("another definition").hasMessageContaining("by_email");
      assertThat(v2.drift("acme")).contains(new IndexDrift("doc.customers", "by_email", IndexDrift.Status.CHANGED));
    }
    try (Tenants v3 = Tenants.of(shared, TenantsTest::modulesV3, 1)) {
      v3.open("acme");
      assertThat(v3.drift("acme")).noneMatch(IndexDrift::drifted);
      assertThat(v3.lagging()).extracting(TenantInfo::name).containsExactly("new");
      assertThat(tenants.drift("acme")).as("the old code sees what it lacks").containsExactly(
          new IndexDrift("doc.customers", "by_email", IndexDrift.Status.CURRENT),
          new IndexDrift("doc.customers", "by_email_any", IndexDrift.Status.REMOVED),
          new IndexDrift("doc.customers", "by_name", IndexDrift.Status.REMOVED),
          new IndexDrift("doc.orders", "by_customer", IndexDrift.Status.REMOVED));
    }
  }

  /** {@link #modulesV2} with the changed index declared under a new name. */
  static List<TitoModule<?>> modulesV3(String tenant) {
    return List.of(EventStore.builder(), DocumentStore.builder()
        .collection("customers", DocIndex.unique("by_email", "email"), DocIndex.of("by_email_any", "email"),
            DocIndex.of("by_name", "name"))
        .collection("orders", DocIndex.of("by_customer", "customer")));
  }
}
