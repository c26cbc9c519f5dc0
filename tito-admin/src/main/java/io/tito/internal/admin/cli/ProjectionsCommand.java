package io.tito.internal.admin.cli;

import io.tito.Stamp;
import io.tito.admin.EventConsumerInfo;
import io.tito.admin.EventConsumerKind;
import io.tito.admin.EventsAdmin;
import io.tito.events.ProjectionStatus;
import java.time.Duration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tito projections list|status|pause|resume|reset|delete|rebuild|run-once|run-until-idle} and
 * {@code projections dead-letters ...}. Rebuild and the runs need the projection's handler, so
 * they work only where the application registered it (its admin server, or {@code
 * TitoCli.executeWith} with its {@code TitoAdmin}); by URL they exit 2 saying so.
 */
@Command(name = "projections", description = "Event store projections: list, status, pause, resume, reset, delete, rebuild, run-once, run-until-idle, dead-letters.",
    mixinStandardHelpOptions = true, subcommands = EventDeadLettersCommand.class)
final class ProjectionsCommand extends ConsumerCommand {

  private static final EventConsumerKind KIND = EventConsumerKind.PROJECTION;

  ProjectionsCommand(Session session) {
    super(session, KIND);
  }

  /** Exactly one target of a reset. */
  static final class Target {
    @Option(names = "--to-beginning", description = "Replay $all from its first event.")
    boolean beginning;
    @Option(names = "--to-end", description = "Skip everything in $all so far.")
    boolean end;
    @Option(names = "--to-position", paramLabel = "POSITION", converter = EventArgs.Position.class,
        description = "Go on after this position, as printed (e.g. 1042.0).")
    Stamp position;
  }

  @Command(name = "reset", description = "Moves the checkpoint; the read model is left as it is (see rebuild).")
  int reset(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @ArgGroup(exclusive = true, multiplicity = "1") Target target) {
    EventsAdmin events = session.admin().events();
    Stamp after = target.beginning ? Stamp.ZERO : target.end ? events.headPosition() : target.position;
    ConsumerOutput.one(session, events.resetProjection(name, after));
    return 0;
  }

  @Command(name = "rebuild", description = "Clears the read model and replays $all (needs the handler registered here).")
  int rebuild(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--catch-up", description = "Then run it here until it has caught up, with a progress bar.")
      boolean catchUp,
      @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1m",
          converter = EventArgs.Time.class, description = "Longest catch-up (default 1m).")
      Duration timeout) {
    EventConsumerInfo after = session.admin().events().rebuild(name);
    if (catchUp) {
      after = runUntilIdle(name, timeout);
    }
    ConsumerOutput.one(session, after);
    return 0;
  }

  @Command(name = "delete", description = {"Deletes its checkpoint, lease, dead letters and pause "
      + "flag (needs --force); its read model is the application's and is kept. Refused (exit 2) "
      + "while a runner of it is live: stop its runners first."})
  int delete(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--force", description = "Really delete its checkpoint and dead letters.")
      boolean force) {
    session.admin().events().deleteProjection(name, force);
    return printDeleted("projection", name);
  }

  @Command(name = "run-once", description = "Runs it here for one batch of $all (needs the handler registered here).")
  int runOnce(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--batch", defaultValue = "100", description = "Events in the batch (default 100).")
      int batch,
      @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1m",
          converter = EventArgs.Time.class, description = "Longest run (default 1m).")
      Duration timeout) {
    ConsumerOutput.one(session, session.admin().events().runOnce(name, batch, timeout));
    return 0;
  }

  @Command(name = "run-until-idle", description = "Runs it here until it has consumed $all as it is now, with a progress bar (needs the handler registered here).")
  int runUntilIdle(@Mixin Common common, @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1m",
          converter = EventArgs.Time.class, description = "Longest run (default 1m).")
      Duration timeout) {
    ConsumerOutput.one(session, runUntilIdle(name, timeout));
    return 0;
  }

  private EventConsumerInfo runUntilIdle(String name, Duration timeout) {
    EventsAdmin events = session.admin().events();
    if (session.json()) {
      return events.runUntilIdle(name, timeout, null);
    }
    ProjectionStatus start = events.consumer(KIND, name).status();
    CatchUpBar bar = new CatchUpBar(session.err(), name, start.lag());
    EventConsumerInfo done = events.runUntilIdle(name, timeout, bar::update);
    bar.finish(done.status());
    return done;
  }
}
