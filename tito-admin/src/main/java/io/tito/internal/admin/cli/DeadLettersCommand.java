package io.tito.internal.admin.cli;

import io.tito.internal.admin.Views;
import io.tito.pubsub.DeadLetter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
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
    if (session.json()) {
      session.printJson(Views.list(dead, Views::deadLetter));
      return 0;
    }
    Table t = new Table("ID", "PARTITION", "POSITION", "ATTEMPTS", "DEAD-AT", "ERROR");
    for (DeadLetter d : dead) {
      t.row(d.id(), d.partition(), d.position(), d.attempts(), d.deadAt(), d.error());
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "show", description = "One dead letter with its event.")
  int show(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group, @Parameters(paramLabel = "ID") UUID id) {
    DeadLetter d = session.admin().deadLetter(topic, group, id);
    Map<String, Object> m = Views.deadLetter(d);
    if (session.json()) {
      session.printJson(m);
      return 0;
    }
    for (Map.Entry<String, Object> e : m.entrySet()) {
      session.out().printf("%-10s %s%n", e.getKey(), e.getValue());
    }
    session.out().flush();
    return 0;
  }

  @Command(name = "requeue", description = "Puts dead letters back for the group: handled before the partition's next events.")
  int requeue(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group,
      @Parameters(paramLabel = "ID", arity = "0..1", description = "The dead letter's event id.")
      UUID id,
      @Option(names = "--all", description = "Every dead letter of the group (instead of ID).")
      boolean all) {
    if (all == (id != null)) {
      throw new ParameterException(spec.commandLine(), "give either ID or --all");
    }
    int n;
    if (all) {
      n = session.admin().requeueAll(topic, group);
    } else {
      session.admin().requeue(topic, group, id);
      n = 1;
    }
    if (session.json()) {
      session.printJson(Map.of("requeued", n));
    } else {
      session.out().printf("requeued %d dead letter%s%n", n, n == 1 ? "" : "s");
      session.out().flush();
    }
    return 0;
  }

  @Command(name = "delete", description = "Deletes one dead letter for good.")
  int delete(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group, @Parameters(paramLabel = "ID") UUID id) {
    session.admin().deleteDeadLetter(topic, group, id);
    if (session.json()) {
      session.printJson(Map.of("deleted", 1));
    } else {
      session.out().println("deleted 1 dead letter");
      session.out().flush();
    }
    return 0;
  }
}
