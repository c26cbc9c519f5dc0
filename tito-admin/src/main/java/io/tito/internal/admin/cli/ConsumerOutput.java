package io.tito.internal.admin.cli;

import io.tito.admin.EventConsumerInfo;
import io.tito.events.ProjectionStatus;
import io.tito.internal.admin.EventViews;
import io.tito.internal.admin.Views;
import java.util.List;

/** Prints projections and subscription groups: a table, or JSON with {@code --json}. */
final class ConsumerOutput {

  private ConsumerOutput() {}

  static void list(Session session, List<EventConsumerInfo> consumers) {
    if (session.json()) {
      session.printJson(Views.list(consumers, EventViews::consumer));
      return;
    }
    table(consumers).print(session.out());
  }

  static void one(Session session, EventConsumerInfo c) {
    if (session.json()) {
      session.printJson(EventViews.consumer(c));
      return;
    }
    table(List.of(c)).print(session.out());
  }

  private static Table table(List<EventConsumerInfo> consumers) {
    Table t = new Table("NAME", "STATE", "POSITION", "HEAD", "LAG", "ATTEMPTS", "DEAD-LETTERS",
        "REGISTERED-HERE", "LAST-ERROR");
    for (EventConsumerInfo c : consumers) {
      ProjectionStatus s = c.status();
      t.row(s.name(), s.paused() ? "paused" : "active", s.position(), s.head(), s.lag(),
          s.attempts(), c.deadLetters(), c.registered(), s.lastError());
    }
    return t;
  }
}
