package io.tito.internal.admin.cli;

import io.tito.admin.EventConsumerKind;
import io.tito.events.StartAt;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tito subscriptions list|status|pause|resume|reset|delete} and {@code subscriptions
 * dead-letters ...}: the event store's subscription groups over {@code $all} (pub/sub groups are
 * {@code tito groups}).
 */
@Command(name = "subscriptions", description = "Event store subscription groups over $all: list, status, pause, resume, reset, delete, dead-letters.",
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

  @Command(name = "reset", description = {"Moves the group's checkpoint, while its workers run "
      + "(the lease holder is fenced). Failed attempts are cleared; dead letters are kept."})
  int reset(@Mixin Common common, @Parameters(paramLabel = "GROUP") String name,
      @Option(names = "--to", required = true, paramLabel = "START",
          converter = EventArgs.Start.class,
          description = "beginning | end | position:<commit version>.<order> (goes on after it) "
              + "| time:<ISO-8601> (the first event created at or after it)") StartAt to) {
    ConsumerOutput.one(session, session.admin().events().resetSubscription(name, to));
    return 0;
  }

  @Command(name = "delete", description = {"Deletes the group: checkpoint, lease, dead letters, "
      + "pause flag. Refused (exit 2) while a worker of it is live: close its workers first."})
  int delete(@Mixin Common common, @Parameters(paramLabel = "GROUP") String name) {
    session.admin().events().deleteSubscription(name);
    if (session.json()) {
      session.printJson(Map.of("deleted", name));
    } else {
      session.out().printf("deleted subscription group %s%n", name);
      session.out().flush();
    }
    return 0;
  }
}
