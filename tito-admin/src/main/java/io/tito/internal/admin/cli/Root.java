package io.tito.internal.admin.cli;

import io.tito.AlreadyExistsException;
import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.TitoException;
import io.tito.admin.cli.ExitCodes;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tito} command and its registry of areas: one subcommand class per area, each made
 * with the run's {@link Session}. A new area (streams, projections, tenants, backups...) is one
 * more class in {@link #AREAS}.
 */
@Command(name = "tito", mixinStandardHelpOptions = true, version = "tito 0.1.0",
    description = "Operate a Tito store: topics, groups, dead letters, scheduled events, models, "
        + "and the event store's streams, projections, subscriptions and snapshots.",
    footer = {"", "Exit codes: 0 done; 1 the operation failed (engine unreachable, conflict...);",
        "2 bad usage or invalid argument; 3 not found."})
public final class Root {

  /** The areas, each a {@code @Command} class with a constructor taking the {@link Session}. */
  static final List<Class<?>> AREAS = List.of(TopicsCommand.class, GroupsCommand.class,
      DeadLettersCommand.class, ScheduledCommand.class, ModelsCommand.class,
      TenantsCommand.class, DocumentsCommand.class, BackupCommand.class, LogCommand.class,
      StreamsCommand.class, ProjectionsCommand.class, SubscriptionsCommand.class,
      SnapshotsCommand.class);

  private final Session session;

  private Root(Session session) {
    this.session = session;
  }

  @picocli.CommandLine.Option(names = "--url", paramLabel = "URL",
      description = "Store URL (also accepted after the command; default: TITO_URL).")
  void url(String value) {
    session.url(value);
  }

  @picocli.CommandLine.Option(names = "--json", description = "Print JSON instead of tables.")
  void json(boolean value) {
    if (value) {
      session.json(true);
    }
  }

  /** The command line of one run over {@code session}, exceptions mapped to exit codes. */
  public static CommandLine commandLine(Session session) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        try {
          Constructor<K> c = type.getDeclaredConstructor(Session.class);
          c.setAccessible(true);
          return c.newInstance(session);
        } catch (NoSuchMethodException e) {
          return CommandLine.defaultFactory().create(type);
        }
      }
    };
    CommandLine cl = new CommandLine(new Root(session), factory);
    for (Class<?> area : AREAS) {
      cl.addSubcommand(area);
    }
    cl.addSubcommand("completion", new AutoComplete.GenerateCompletion());
    cl.setOut(session.out());
    cl.setErr(session.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.registerConverter(java.util.UUID.class, s -> {
      try {
        return java.util.UUID.fromString(s);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + s + "' is not an event id (a UUID)");
      }
    });
    cl.registerConverter(java.time.Instant.class, s -> {
      try {
        return java.time.Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + s + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
      }
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("tito: " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
      ex.getCommandLine().usage(err);
      err.flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      PrintWriter err = line.getErr();
      err.println("tito: " + describe(ex));
      err.flush();
      return exitCode(ex);
    });
    return cl;
  }

  /** The exit code of a failure, as documented in {@link ExitCodes}. */
  static int exitCode(Exception ex) {
    if (ex instanceof NotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (ex instanceof InvalidArgumentException || ex instanceof AlreadyExistsException
        || ex instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILED;
  }

  private static String describe(Exception ex) {
    String kind = ex instanceof NotFoundException ? "not found"
        : ex instanceof InvalidArgumentException ? "invalid argument"
        : ex instanceof AlreadyExistsException ? "already exists"
        : ex instanceof ConflictException ? "conflict"
        : ex instanceof TitoException ? "failed" : ex.getClass().getSimpleName();
    String msg = ex.getMessage();
    return kind + (msg == null || msg.isEmpty() ? "" : ": " + msg);
  }
}
