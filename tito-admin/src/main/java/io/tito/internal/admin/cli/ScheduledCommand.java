package io.tito.internal.admin.cli;

import io.tito.admin.Scheduled;
import io.tito.internal.admin.Views;
import io.tito.pubsub.Event;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito scheduled list}. */
@Command(name = "scheduled", description = "Scheduled events not yet in the log.",
    mixinStandardHelpOptions = true)
final class ScheduledCommand {

  private final Session session;

  ScheduledCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "Scheduled events by due time: due (released next) and pending.")
  int list(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Option(names = "--state", defaultValue = "ALL", paramLabel = "STATE",
          description = "DUE, PENDING or ALL (default ALL).") Scheduled which,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
      int limit) {
    List<Event> events = session.admin().scheduled(topic, which, limit);
    if (session.json()) {
      session.printJson(Views.list(events, Views::event));
      return 0;
    }
    java.time.Instant now = session.admin().tito().clock().instant();
    Table t = new Table("DELIVER-AT", "STATE", "PARTITION", "KEY", "ID");
    for (Event e : events) {
      t.row(e.deliverAt(), e.deliverAt().isAfter(now) ? "pending" : "due", e.partition(), e.key(), e.id());
    }
    t.print(session.out());
    return 0;
  }
}
