/**
 * The conformance and acceptance kits every engine runs: engine contracts ({@code
 * io.tito.testkit}), the data acceptance kit ({@code io.tito.testkit.data}), the event-store acceptance kit ({@code
 * io.tito.testkit.events}), the document-store acceptance kit ({@code io.tito.testkit.docs}) and the delivery
 * history checker ({@code io.tito.testkit.pubsub}). Reaches pub/sub state only through the
 * exported test hooks of {@code io.tito.pubsub.testing}.
 */
module io.tito.testkit {
  requires transitive io.tito.core;
  requires transitive io.tito.data;
  requires transitive io.tito.events;
  requires transitive io.tito.docs;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires transitive org.assertj.core;
  requires transitive net.jqwik.api;
  requires org.opentest4j;

  exports io.tito.testkit;
  exports io.tito.testkit.data;
  exports io.tito.testkit.events;
  exports io.tito.testkit.docs;
  exports io.tito.testkit.pubsub;
}
