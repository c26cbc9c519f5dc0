package io.tito.internal.admin.cli;

import io.tito.admin.EventConsumerKind;
import io.tito.events.EventDeadLetter;
import io.tito.internal.admin.EventViews;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tito projections dead-letters ...} and {@code tito subscriptions dead-letters ...}: the
 * dead letters of one projection or subscription group (the parent command says which).
 */
@Command(name = "dead-letters", description = "Its dead letters: list, show, requeue, delete.",
    mixinStandardHelpOptions = true)
final class EventDeadLettersCommand {

  private final Session session;
  @Spec
  private CommandSpec spec;

  EventDeadLettersCommand(Session session) {
    this.session = session;
  }

  private EventConsumerKind kind() {
    return EventArgs.kindOf(spec);
  }

  @Command(name = "list", description = "Its dead letters.")
  int list(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
      int limit) {
    List<EventDeadLetter> dead = session.admin().events().deadLetters(kind(), name, limit);
    DeadLetterOutput.list(session, dead, EventViews::deadLetter, () -> {
      Table t = new Table("ID", "STREAM", "VERSION", "TYPE", "ATTEMPTS", "DEAD-AT", "ERROR");
      for (EventDeadLetter d : dead) {
        var e = d.event();
        t.row(d.id(), e == null ? "(undecodable)" : e.streamId(), e == null ? null : e.version(),
            e == null ? null : e.type(), d.attempts(), d.deadAt(), d.error());
      }
      return t;
    });
    return 0;
  }

  @Command(name = "show", description = "One dead letter with its event.")
  int show(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "ID") UUID id) {
    DeadLetterOutput.show(session, EventViews.deadLetter(session.admin().events().deadLetter(kind(), name, id)));
    return 0;
  }

  @Command(name = "requeue", description = "Puts dead letters back: handled before it goes on with $all.")
  int requeue(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "ID", arity = "0..1", description = "The dead letter's id.") UUID id,
      @Option(names = "--all", description = "Every dead letter (instead of ID).") boolean all) {
    DeadLetterOutput.requireIdOrAll(spec, id, all);
    if (all) {
      DeadLetterOutput.requeued(session, session.admin().events().requeueAll(kind(), name));
    } else {
      session.admin().events().requeue(kind(), name, id);
      DeadLetterOutput.requeued(session, 1);
    }
    return 0;
  }

  @Command(name = "delete", description = "Deletes one dead letter for good.")
  int delete(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Parameters(paramLabel = "ID") UUID id) {
    session.admin().events().deleteDeadLetter(kind(), name, id);
    DeadLetterOutput.deletedOne(session);
    return 0;
  }
}
