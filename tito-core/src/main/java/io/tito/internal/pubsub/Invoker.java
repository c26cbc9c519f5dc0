package io.tito.internal.pubsub;

import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.TransactionalEventHandler;

/** A subscription's handler, either kind. */
record Invoker(EventHandler plain, TransactionalEventHandler transactional) {

  static Invoker of(EventHandler h) {
    return new Invoker(h, null);
  }

  static Invoker of(TransactionalEventHandler h) {
    return new Invoker(null, h);
  }

  boolean isTransactional() {
    return transactional != null;
  }

  void handle(Transaction tx, Event e) throws Exception {
    if (transactional != null) {
      transactional.handle(tx, e);
    } else {
      plain.handle(e);
    }
  }
}
