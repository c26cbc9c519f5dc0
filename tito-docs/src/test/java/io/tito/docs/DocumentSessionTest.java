package io.tito.docs;

import static io.tito.docs.DocCollectionTest.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.Tito;
import io.tito.VersionConflictException;
import io.tito.events.Aggregate;
import io.tito.events.AggregateRepository;
import io.tito.events.EventStore;
import io.tito.events.RecordedEvent;
import io.tito.events.ExpectedVersion;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DocumentSessionTest {

  private Tito tito;
  private DocumentStore docs;
  private DocCollection<ObjectNode> orders;
  private EventStore events;

  @BeforeEach
  void open() {
    tito = Tito.builder().engine(new MemoryEngine())
        .with(EventStore.builder())
        .with(DocumentStore.builder().sessionHeader("app", "shop")
            .collection("orders", DocIndex.of("by_status", "status")))
        .build();
    docs = tito.module(DocumentStore.class);
    orders = docs.collection("orders");
    events = tito.module(EventStore.class);
    tito.topics().createTopic("order-events");
  }

  @AfterEach
  void close() {
    tito.close();
  }

  @Test
  void loadingTwiceGivesTheSameObject() {
    orders.insert("o1", doc("{'status':'new'}"));
    DocumentSession s = docs.openSession();
    ObjectNode a = s.load(orders, "o1").orElseThrow();
    assertThat(s.load(orders, "o1").orElseThrow()).isSameAs(a);
    assertThat(s.versionOf(orders, "o1")).isEqualTo(1);
    assertThat(s.load(orders, "none")).isEmpty();
  }

  @Test
  void saveChangesCommitsDocumentEventAndMessageTogether() {
    DocumentSession s = docs.openSession();
    s.store(orders, "o1", doc("{'status':'new','total':10}"));
    s.append("order-o1", ExpectedVersion.NO_STREAM, s.event("OrderPlaced", doc("{'total':10}")));
    s.publish("order-events", Message.of("o1", "placed".getBytes(StandardCharsets.UTF_8)));
    assertThat(orders.get("o1")).as("nothing before saveChanges").isEmpty();
    assertThat(messages()).isEmpty();
    s.saveChanges();
    assertThat(orders.get("o1").orElseThrow().version()).isEqualTo(1);
    assertThat(events.readStream("order-o1", 1, 10).events()).hasSize(1);
    assertThat(events.readStream("order-o1", 1, 10).events().get(0).headers())
        .containsEntry("app", "shop");
    List<Event> sent = messages();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).headers()).containsEntry("app", "shop");
    assertThat(s.pendingChanges()).isZero();
  }

  @Test
  void aFailedSaveWritesNothingAtAll() {
    orders.insert("o1", doc("{'status':'new'}"));
    DocumentSession s = docs.openSession();
    s.load(orders, "o1");
    s.store(orders, "o2", doc("{'status':'new'}"));
    s.append("order-o2", ExpectedVersion.NO_STREAM, s.event("OrderPlaced", doc("{}")));
    s.publish("order-events", Message.of("o2", new byte[] {1}));
    orders.patch("o1", DocPatch.set("status", "paid")); // someone else, after the load
    assertThatThrownBy(s::saveChanges).isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("o1");
    assertThat(orders.get("o2")).isEmpty();
    assertThat(events.streamInfo("order-o2").version()).isZero();
    assertThat(messages()).isEmpty();
  }

  @Test
  void changesInPlaceAndPatchesAreCheckedAgainstTheLoadedVersion() {
    orders.insert("o1", doc("{'status':'new','n':1}"));
    DocumentSession s = docs.openSession();
    ObjectNode o = s.load(orders, "o1").orElseThrow();
    o.put("status", "paid");
    assertThat(s.pendingChanges()).isEqualTo(1);
    s.saveChanges();
    assertThat(orders.get("o1").orElseThrow().value().get("status").asText()).isEqualTo("paid");
    assertThat(s.versionOf(orders, "o1")).isEqualTo(2);
    s.patch(orders, "o1", DocPatch.set("n", 2));
    s.saveChanges();
    assertThat(s.versionOf(orders, "o1")).isEqualTo(3);
    DocumentSession stale = docs.openSession();
    stale.load(orders, "o1");
    orders.patch("o1", DocPatch.set("n", 3));
    stale.patch(orders, "o1", DocPatch.set("n", 4));
    assertThatThrownBy(stale::saveChanges).isInstanceOf(VersionConflictException.class);
    assertThat(orders.get("o1").orElseThrow().value().get("n").asInt()).isEqualTo(3);
  }

  @Test
  void aDocumentLoadedAsAbsentMustStillBeAbsent() {
    DocumentSession s = docs.openSession();
    assertThat(s.load(orders, "o9")).isEmpty();
    s.store(orders, "o9", doc("{'status':'mine'}"));
    orders.insert("o9", doc("{'status':'theirs'}"));
    assertThatThrownBy(s::saveChanges).isInstanceOf(VersionConflictException.class);
    assertThat(orders.get("o9").orElseThrow().value().get("status").asText()).isEqualTo("theirs");
  }

  /** Counts orders placed, from its stream. */
  record Tally(int placed) {}

  static final Aggregate<Tally> TALLY = new Aggregate<>() {
    @Override
    public String name() {
      return "tally";
    }

    @Override
    public Tally initialState() {
      return new Tally(0);
    }

    @Override
    public Tally apply(Tally state, RecordedEvent event) {
      return new Tally(state.placed() + 1);
    }

    @Override
    public Class<Tally> stateType() {
      return Tally.class;
    }
  };

  @Test
  void aggregatesCommitWithTheDocumentsOrNotAtAll() {
    AggregateRepository<Tally> tallies = AggregateRepository.builder(events, TALLY).build();
    orders.insert("o1", doc("{'status':'new'}"));
    DocumentSession s = docs.openSession();
    s.load(orders, "o1");
    s.commitAggregate(tallies, tallies.load("tally-1"), List.of(s.event("Placed", doc("{}"))));
    orders.patch("o1", DocPatch.set("status", "paid"));
    assertThatThrownBy(s::saveChanges).isInstanceOf(VersionConflictException.class);
    assertThat(tallies.load("tally-1").version()).isZero();

    DocumentSession ok = docs.openSession();
    ok.store(orders, "o2", doc("{'status':'new'}"));
    ok.commitAggregate(tallies, tallies.load("tally-1"), List.of(ok.event("Placed", doc("{}"))));
    ok.saveChanges();
    assertThat(tallies.load("tally-1").state().placed()).isEqualTo(1);
    assertThat(orders.get("o2")).isPresent();
  }

  private List<Event> messages() {
    List<Event> all = new ArrayList<>();
    int partitions = tito.topics().topic("order-events").partitions();
    for (int p = 0; p < partitions; p++) {
      all.addAll(tito.topics().read("order-events", p, 0, 100));
    }
    return all;
  }
}
