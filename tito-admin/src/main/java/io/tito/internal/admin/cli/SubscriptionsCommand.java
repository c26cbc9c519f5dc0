package io.tito.internal.admin.cli;

import io.tito.admin.EventConsumerKind;
import io.tito.events.StartAt;
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
final class SubscriptionsCommand extends ConsumerCommand {

  SubscriptionsCommand(Session session) {
    super(session, EventConsumerKind.SUBSCRIPTION);
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
    return printDeleted("subscription group", name);
  }
}
