package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Errors thrown by handlers are failed attempts like exceptions: counted, then dead-lettered. */
class HandlerErrorTest {

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(Subscription::close);
    tito.close();
  }

  static Stream<Arguments> errorsAndHandlerKinds() {
    List<Arguments> out = new ArrayList<>();
    List<Supplier<Throwable>> errors = List.of(
        () -> new AssertionError("assertion in handler"),
        () -> new StackOverflowError("deep recursion in handler"),
        () -> new NoClassDefFoundError("com/example/Missing"),
        () -> new InternalError("internal error in handler"));
    for (Supplier<Throwable> error : errors) {
      for (String kind : List.of("atLeastOnce", "transactional", "batch", "transactionalBatch")) {
        out.add(Arguments.of(error.get().getClass().getSimpleName(), kind, error));
      }
    }
    return out.stream();
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  private static void sneakyThrow(Throwable t) {
    HandlerErrorTest.<RuntimeException>sneaky(t);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @ParameterizedTest(name = "{0} from {1} handler")
  @MethodSource("errorsAndHandlerKinds")
  void anErrorIsCountedAsAFailedAttemptAndDeadLettered(String name, String kind,
      Supplier<Throwable> error) {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    topics.publish("t", Message.of("k", "poison".getBytes(StandardCharsets.UTF_8)));
    topics.publish("t", Message.of("k", "fine".getBytes(StandardCharsets.UTF_8)));
    List<String> seen = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<Event> one = e -> {
      seen.add(text(e));
      if (text(e).equals("poison")) {
        sneakyThrow(error.get());
      }
    };
    SubscribeOptions o = Await.fast().maxAttempts(3).build();
    subs.add(switch (kind) {
      case "atLeastOnce" -> topics.subscribe("t", "g", one::accept, o);
      case "transactional" -> topics.subscribeTransactional("t", "g", (tx, e) -> one.accept(e), o);
      case "batch" -> topics.subscribeBatches("t", "g", es -> es.forEach(one), o);
      default -> topics.subscribeBatchesTransactional("t", "g", (tx, es) -> es.forEach(one), o);
    });
    Await.until("dead-lettered and moved on",
        () -> seen.contains("fine") && topics.deadLetters("t", "g", 10).size() == 1);
    DeadLetter d = topics.deadLetters("t", "g", 10).get(0);
    assertThat(text(d.event())).isEqualTo("poison");
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.error()).contains(name);
    assertThat(seen.stream().filter("poison"::equals).count())
        .as("attempts at the poison event").isGreaterThanOrEqualTo(3);
  }
}
