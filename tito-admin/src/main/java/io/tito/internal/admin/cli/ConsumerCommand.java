package io.tito.internal.admin.cli;

import io.tito.admin.EventConsumerKind;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The commands {@code tito projections} and {@code tito subscriptions} share: list, status,
 * pause and resume of the event store's consumers of one kind, and the line a delete prints.
 * Picocli finds these public command methods on the subclasses.
 */
abstract class ConsumerCommand {

  final Session session;
  private final EventConsumerKind kind;

  ConsumerCommand(Session session, EventConsumerKind kind) {
    this.session = session;
    this.kind = kind;
  }

  @Command(name = "list", description = "All ${PARENT-COMMAND-NAME}: position, lag, paused, dead letters.")
  public int list(@Mixin Common common) {
    ConsumerOutput.list(session, session.admin().events().consumers(kind));
    return 0;
  }

  @Command(name = "status", description = "Its position, lag and failures.")
  public int status(@Mixin Common common, @Parameters(paramLabel = "NAME") String name) {
    ConsumerOutput.one(session, session.admin().events().consumer(kind, name));
    return 0;
  }

  @Command(name = "pause", description = "Pauses it everywhere: its workers stop fetching.")
  public int pause(@Mixin Common common, @Parameters(paramLabel = "NAME") String name) {
    ConsumerOutput.one(session, session.admin().events().pause(kind, name));
    return 0;
  }

  @Command(name = "resume", description = "Resumes it when paused.")
  public int resume(@Mixin Common common, @Parameters(paramLabel = "NAME") String name) {
    ConsumerOutput.one(session, session.admin().events().resume(kind, name));
    return 0;
  }

  /** Prints that {@code name} was deleted: {@code {"deleted": name}} with --json, else "deleted {what} {name}". */
  int printDeleted(String what, String name) {
    if (session.json()) {
      session.printJson(Map.of("deleted", name));
    } else {
      session.out().printf("deleted %s %s%n", what, name);
      session.out().flush();
    }
    return 0;
  }
}
