package io.tito.internal.pubsub;

import io.tito.Transaction;
import io.tito.pubsub.BatchEventHandler;
import io.tito.pubsub.Event;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.TransactionalBatchHandler;
import io.tito.pubsub.TransactionalEventHandler;
import java.util.List;

/** A subscription's handler of any kind, seen as taking batches (of one, for single handlers). */
record Invoker(Handler handler, boolean isTransactional, boolean isBatch) {

  interface Handler {
    void handle(Transaction tx, List<Event> events) throws Exception;
  }

  static Invoker of(EventHandler h) {
    return new Invoker((tx, events) -> {
      for (Event e : events) {
        h.handle(e);
      }
    }, false, false);
  }

  static Invoker of(TransactionalEventHandler h) {
    return new Invoker((tx, events) -> {
      for (Event e : events) {
        h.handle(tx, e);
      }
    }, true, false);
  }

  static Invoker of(BatchEventHandler h) {
    return new Invoker((tx, events) -> h.handle(events), false, true);
  }

  static Invoker of(TransactionalBatchHandler h) {
    return new Invoker(h::handle, true, true);
  }

  void handle(Transaction tx, List<Event> events) throws Exception {
    handler.handle(tx, events);
  }
}
