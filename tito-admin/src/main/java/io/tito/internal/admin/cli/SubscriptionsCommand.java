package io.tito.internal.admin.cli;

import io.tito.admin.EventConsumerKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tito subscriptions list|status|pause|resume} and {@code subscriptions dead-letters ...}:
 * the event store's subscription groups over {@code $all} (pub/sub groups are {@code tito
 * groups}). The event store has no reset or delete of a subscription group, so neither has the CLI.
 */
@Command(name = "subscriptions", description = "Event store subscription groups over $all: list, status, pause, resume, dead-letters.",
    mixinStandardHelpOptions = true, subcommands = EventDeadLettersCommand.class)
final class SubscriptionsCommand {

  private static final EventConsumerKind KIND = EventConsumerKind.SUBSCRIPTION;

  private final Session session;

  SubscriptionsCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "Every subscription group: position, lag, paused, dead letters.")
  int list(@Mixin Common common) {
    ConsumerOutput.list(session, session.admin().events().consumers(KIND));
    return 0;
  }

  @Command(name = "status", description = "One group's position, lag and failures.")
  int status(@Mixin Common common, @Parameters(paramLabel = "GROUP") String name) {
    ConsumerOutput.one(session, session.admin().events().consumer(KIND, name));
    return 0;
  }

  @Command(name = "pause", description = "Pauses the group everywhere: its workers stop fetching.")
  int pause(@Mixin Common common, @Parameters(paramLabel = "GROUP") String name) {
    ConsumerOutput.one(session, session.admin().events().pause(KIND, name));
    return 0;
  }

  @Command(name = "resume", description = "Resumes a paused group.")
  int resume(@Mixin Common common, @Parameters(paramLabel = "GROUP") String name) {
    ConsumerOutput.one(session, session.admin().events().resume(KIND, name));
    return 0;
  }
}
