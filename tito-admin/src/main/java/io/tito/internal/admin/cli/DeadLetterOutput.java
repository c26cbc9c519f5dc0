package io.tito.internal.admin.cli;

import io.tito.internal.admin.Views;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What the dead-letter commands print (pub/sub groups' {@code tito dead-letters} and the event
 * store's {@code projections|subscriptions dead-letters}): JSON with {@code --json}, else text.
 */
final class DeadLetterOutput {

  private DeadLetterOutput() {}

  /** The dead letters: each as {@code view} makes it in JSON, else the {@code table}. */
  static <T> void list(Session session, List<T> dead, Function<T, Object> view, Supplier<Table> table) {
    if (session.json()) {
      session.printJson(Views.list(dead, view));
      return;
    }
    table.get().print(session.out());
  }

  /** One dead letter's fields: a JSON object, else one aligned line a field. */
  static void show(Session session, Map<String, Object> fields) {
    if (session.json()) {
      session.printJson(fields);
      return;
    }
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
    fields.forEach((k, v) -> session.out().printf("%-" + width + "s %s%n", k, v));
    session.out().flush();
  }

  /** Refuses a requeue given both or neither of an id and {@code --all}. */
  static void requireIdOrAll(CommandSpec spec, UUID id, boolean all) {
    if (all == (id != null)) {
      throw new ParameterException(spec.commandLine(), "give either ID or --all");
    }
  }

  /** How many dead letters a requeue put back. */
  static void requeued(Session session, int n) {
    if (session.json()) {
      session.printJson(Map.of("requeued", n));
    } else {
      session.out().printf("requeued %d dead letter%s%n", n, n == 1 ? "" : "s");
      session.out().flush();
    }
  }

  /** That one dead letter was deleted. */
  static void deletedOne(Session session) {
    if (session.json()) {
      session.printJson(Map.of("deleted", 1));
    } else {
      session.out().println("deleted 1 dead letter");
      session.out().flush();
    }
  }
}
