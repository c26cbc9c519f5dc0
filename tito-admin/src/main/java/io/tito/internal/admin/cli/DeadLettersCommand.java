package io.tito.internal.admin.cli;

import io.tito.internal.admin.Views;
import io.tito.pubsub.DeadLetter;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tito dead-letters list|show|requeue|delete}. */
@Command(name = "dead-letters", description = "Dead letters of a group: list, show, requeue, delete.",
    mixinStandardHelpOptions = true)
final class DeadLettersCommand {

  private final Session session;
  @Spec
  private CommandSpec spec;

  DeadLettersCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "A group's dead letters, by event id.")
  int list(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
      int limit) {
    List<DeadLetter> dead = session.admin().deadLetters(topic, group, limit);
    DeadLetterOutput.list(session, dead, Views::deadLetter, () -> {
      Table t = new Table("ID", "PARTITION", "POSITION", "ATTEMPTS", "DEAD-AT", "ERROR");
      for (DeadLetter d : dead) {
        t.row(d.id(), d.partition(), d.position(), d.attempts(), d.deadAt(), d.error());
      }
      return t;
    });
    return 0;
  }

  @Command(name = "show", description = "One dead letter with its event.")
  int show(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group, @Parameters(paramLabel = "ID") UUID id) {
    DeadLetterOutput.show(session, Views.deadLetter(session.admin().deadLetter(topic, group, id)));
    return 0;
  }

  @Command(name = "requeue", description = "Puts dead letters back for the group: handled before the partition's next events.")
  int requeue(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group,
      @Parameters(paramLabel = "ID", arity = "0..1", description = "The dead letter's event id.")
      UUID id,
      @Option(names = "--all", description = "Every dead letter of the group (instead of ID).")
      boolean all) {
    DeadLetterOutput.requireIdOrAll(spec, id, all);
    if (all) {
      DeadLetterOutput.requeued(session, session.admin().requeueAll(topic, group));
    } else {
      session.admin().requeue(topic, group, id);
      DeadLetterOutput.requeued(session, 1);
    }
    return 0;
  }

  @Command(name = "delete", description = "Deletes one dead letter for good.")
  int delete(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group, @Parameters(paramLabel = "ID") UUID id) {
    session.admin().deleteDeadLetter(topic, group, id);
    DeadLetterOutput.deletedOne(session);
    return 0;
  }
}
