package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.data.RecordChange.Kind;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events published from model writes, in the writing transaction. */
class ModelEventsTest {

  public record Item(String id, String name, int qty) {}

  public record Note(String id, String text) {}

  private static final Model<Item> ITEMS = Model.builder(Item.class, "items").id(Item::id).build();
  private static final Model<Note> NOTES = Model.builder(Note.class, "notes").id(Note::id).build();

  private Tito tito;
  private Topics topics;

  @BeforeEach
  void open() {
    tito = Tito.open(new MemoryEngine());
    topics = tito.topics();
    topics.createTopic("items", TopicConfig.DEFAULTS.withPartitions(1));
    topics.createTopic("deletions", TopicConfig.DEFAULTS.withPartitions(1));
    topics.createTopic("spread", TopicConfig.DEFAULTS);
  }

  @AfterEach
  void close() {
    tito.close();
  }

  private DataStore store(ModelEvents.Builder events) {
    return DataStore.models(ITEMS, NOTES).events(events).open(tito);
  }

  private List<Event> events(String topic) {
    List<Event> all = new ArrayList<>();
    for (int p = 0; p < topics.topic(topic).partitions(); p++) {
      all.addAll(topics.read(topic, p, 0, 1000));
    }
    return all;
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void insertPublishesTheRecordJsonInTheSameTransaction() {
    ModelStore<Item> items = store(ModelEvents.builder().publish(ITEMS, "items"))
        .store(ITEMS);
    tito.inTransaction(tx -> {
      items.insert(tx, new Item("a", "apple", 3));
      items.insert(tx, new Item("b", "pear", 1));
      assertThat(events("items")).as("not visible before commit").isEmpty();
    });

    List<Event> got = events("items");
    assertThat(got).extracting(Event::key).containsExactly("a", "b");
    assertThat(got).extracting(Event::position).containsExactly(0L, 1L);
    assertThat(text(got.get(0))).isEqualTo("{\"id\":\"a\",\"name\":\"apple\",\"qty\":3}");
    assertThat(got.get(0).headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
        ModelEvents.CHANGE_HEADER, "INSERT", ModelEvents.TABLE_HEADER, "items",
        ModelEvents.ID_HEADER, "a", ModelEvents.VERSION_HEADER, "1"));
  }

  @Test
  void rolledBackAndFailedWritesPublishNothing() {
    ModelStore<Item> items = store(ModelEvents.builder().publish(ITEMS, "items"))
        .store(ITEMS);
    assertThatThrownBy(() -> tito.inTransaction(tx -> {
      items.insert(tx, new Item("a", "apple", 3));
      throw new IllegalStateException("abort");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(events("items")).isEmpty();
    assertThat(items.exists("a")).isFalse();

    items.insert(new Item("a", "apple", 3));
    assertThatThrownBy(() -> items.insert(new Item("a", "again", 1)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> items.update(new Item("zz", "absent", 1)))
        .isInstanceOf(NotFoundException.class);
    assertThat(events("items")).extracting(e -> e.headers().get(ModelEvents.CHANGE_HEADER))
        .containsExactly("INSERT");
  }

  @Test
  void everyKindOfWriteIsPublishedWithItsKindAndVersion() {
    ModelStore<Item> items = store(ModelEvents.builder().publish(ITEMS, "items"))
        .store(ITEMS);
    items.insert(new Item("a", "apple", 3));
    items.update(new Item("a", "apple", 4));
    items.patch("a", Patch.set("/qty", 5));
    items.softDelete("a");
    items.restore("a");
    items.delete("a");

    List<Event> got = events("items");
    assertThat(got).extracting(e -> e.headers().get(ModelEvents.CHANGE_HEADER))
        .containsExactly("INSERT", "UPDATE", "PATCH", "SOFT_DELETE", "RESTORE", "DELETE");
    assertThat(got).extracting(e -> e.headers().get(ModelEvents.VERSION_HEADER))
        .containsExactly("1", "2", "3", "4", "5", "5");
    assertThat(text(got.get(2))).contains("\"qty\":5");
    assertThat(text(got.get(5))).as("a delete carries the record before it")
        .isEqualTo("{\"id\":\"a\",\"name\":\"apple\",\"qty\":5}");
  }

  @Test
  void onlyDeclaredKindsAndModelsPublish() {
    ModelEvents.Builder events = ModelEvents.builder()
        .publish(ITEMS, "deletions", EnumSet.of(Kind.DELETE, Kind.SOFT_DELETE));
    DataStore data = store(events);
    data.store(ITEMS).insert(new Item("a", "apple", 3));
    data.store(ITEMS).update(new Item("a", "apple", 4));
    data.store(NOTES).insert(new Note("n", "no declarations"));
    data.store(NOTES).delete("n");
    assertThat(events("deletions")).isEmpty();

    data.store(ITEMS).softDelete("a");
    data.store(ITEMS).delete("a");
    assertThat(events("deletions")).extracting(e -> e.headers().get(ModelEvents.CHANGE_HEADER))
        .containsExactly("SOFT_DELETE", "DELETE");
    assertThat(events.topicsOf("items")).containsExactly("deletions");
    assertThat(events.topicsOf("notes")).isEmpty();
  }

  @Test
  void customMappersChooseKeyPayloadAndMayFilter() {
    ModelEvents.Builder events = ModelEvents.builder()
        .publish(ITEMS, "items", EnumSet.of(Kind.INSERT), change -> {
          Item it = (Item) change.after().value();
          return it.qty() == 0 ? null
              : new Message("stock", (it.name() + " x" + it.qty()).getBytes(StandardCharsets.UTF_8),
                  Map.of("kind", "restock"), null);
        })
        .publish(ITEMS, "spread");
    ModelStore<Item> items = store(events).store(ITEMS);
    items.insert(new Item("a", "apple", 3));
    items.insert(new Item("b", "pear", 0));
    items.insert(new Item("c", "plum", 7));

    assertThat(events("items")).extracting(ModelEventsTest::text)
        .containsExactly("apple x3", "plum x7");
    assertThat(events("items")).allSatisfy(e -> assertThat(e.key()).isEqualTo("stock"));
    List<Event> spread = events("spread");
    assertThat(spread).extracting(Event::key).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(spread).allSatisfy(e ->
        assertThat(e.partition()).isEqualTo(Topics.partitionOf(e.key(), 8)));
  }

  @Test
  void racingWritersRetriedByTheRunnerPublishOncePerCommittedWrite() throws Exception {
    ModelStore<Item> items = store(ModelEvents.builder().publish(ITEMS, "items"))
        .store(ITEMS);
    int threads = 4;
    int perThread = 50;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int th = t;
      ts.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < perThread; i++) {
          items.insert(new Item(th + "-" + i, "x", i));   // one partition: publishers conflict
        }
      }));
    }
    for (Thread t : ts) {
      t.join();
    }
    List<Event> got = events("items");
    assertThat(got).hasSize(threads * perThread);
    assertThat(got).extracting(Event::key).doesNotHaveDuplicates();
    assertThat(got).extracting(Event::position)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, threads * perThread)
            .boxed().toList());
  }

  @Test
  void publishingToAMissingTopicFailsTheWrite() {
    ModelStore<Item> items = store(ModelEvents.builder().publish(ITEMS, "nope"))
        .store(ITEMS);
    assertThatThrownBy(() -> items.insert(new Item("a", "apple", 3)))
        .isInstanceOf(NotFoundException.class);
    assertThat(items.exists("a")).isFalse();
  }

  @Test
  void invalidDeclarationsAreReportedTogether() {
    assertThatThrownBy(() -> store(ModelEvents.builder()
        .publish(ITEMS, " ")
        .publish(ITEMS, "items", EnumSet.noneOf(Kind.class))
        .publish(ITEMS, "items")
        .publish(ITEMS, "items")))
        .isInstanceOf(InvalidArgumentException.class)
        .satisfies(e -> assertThat(((InvalidArgumentException) e).context().get("errors"))
            .asList().hasSize(3));
  }

  @Test
  void theFrontDoorOpensTheDataStoreWithItsEventsOnceAndSharesIt() {
    io.tito.ManualClock clock = new io.tito.ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    try (Tito store = Tito.builder().url("memory:").clock(clock)
        .with(DataStore.models(ITEMS, NOTES).events(ModelEvents.builder().publish(ITEMS, "items")))
        .build()) {
      store.topics().createTopic("items", TopicConfig.DEFAULTS.withPartitions(1));
      DataStore data = store.module(DataStore.class);
      assertThat(store.module(DataStore.class)).isSameAs(data);
      assertThat(data.clock()).isSameAs(clock);
      Model<Item> stamped = Model.builder(Item.class, "stamped").id(Item::id).timestamps(true).build();
      clock.advance(java.time.Duration.ofDays(1));
      assertThat(DataStore.models(stamped).open(store).store(stamped).insert(new Item("s", "x", 1))
          .createdAt()).isEqualTo(clock.instant());
      data.store(ITEMS).insert(new Item("a", "apple", 3));
      assertThat(store.topics().read("items", 0, 0, 10)).extracting(Event::key).containsExactly("a");
    }
  }

  @Test
  void bytesIdsBecomeHexKeys() {
    assertThat(ModelEvents.partitionKey(new byte[] {1, (byte) 0xab})).isEqualTo("01ab");
    assertThat(ModelEvents.partitionKey(42L)).isEqualTo("42");
  }
}
