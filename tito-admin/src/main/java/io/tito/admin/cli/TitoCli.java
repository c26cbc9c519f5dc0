package io.tito.admin.cli;

import io.tito.Tito;
import io.tito.admin.TitoAdmin;
import io.tito.internal.admin.cli.Root;
import io.tito.internal.admin.cli.Session;
import java.io.PrintWriter;

/**
 * The {@code tito} command line: {@code tito [--url URL] [--json] <area> <command> [args]}, with
 * the areas {@code topics}, {@code groups}, {@code dead-letters}, {@code scheduled}, {@code
 * models}, {@code tenants}, {@code documents}, {@code backup} and {@code log}, and {@code
 * completion} (a bash/zsh completion script: {@code source <(tito completion)}). {@code tito
 * --help} and {@code tito <area> --help} list the rest. Exit codes are those of {@link
 * ExitCodes}.
 *
 * <p>The event store's areas are {@code streams}, {@code projections}, {@code subscriptions} and
 * {@code snapshots}; rebuilding or running a projection and compacting snapshots need the
 * application's handlers, so they work through {@link #executeWith(TitoAdmin,
 * PrintWriter, PrintWriter, String...)} or the application's admin server, not by URL.
 *
 * <p>Run it as {@code bin/tito}, as the runnable jar ({@code java -jar tito-admin-<v>-cli.jar}),
 * or from an application with its own store ({@link #execute(Tito, PrintWriter, PrintWriter,
 * String...)}). {@code models build} needs the model's definition: there it has it; by URL, give
 * {@code --models} a class implementing {@link io.tito.admin.ModelDefinitions}.
 */
public final class TitoCli {

  private TitoCli() {}

  /** Runs the command and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(null, out, err, args));
  }

  /**
   * Runs one command and returns its exit code; never throws for a failed command (the failure is
   * one line on {@code err}).
   *
   * @param tito the store to operate on, or null to open the one given by {@code --url} or the
   *     {@code TITO_URL} environment variable (and close it at the end)
   */
  public static int execute(Tito tito, PrintWriter out, PrintWriter err, String... args) {
    return run(new Session(tito, out, err), err, args);
  }

  /**
   * Runs one command over an application's {@link TitoAdmin}, with the projection handlers and
   * aggregate repositories registered on its {@link io.tito.admin.EventsAdmin}: there {@code
   * projections rebuild|run-once|run-until-idle} and {@code snapshots compact} work too. The
   * store stays open.
   */
  public static int executeWith(TitoAdmin admin, PrintWriter out, PrintWriter err, String... args) {
    if (admin == null) {
      throw new io.tito.InvalidArgumentException("admin must not be null", java.util.Map.of());
    }
    return run(new Session(admin, out, err), err, args);
  }

  private static int run(Session opened, PrintWriter err, String... args) {
    try (Session session = opened) {
      return Root.commandLine(session).execute(args);
    } catch (RuntimeException e) {
      // Only closing can get here: the command's own failures are mapped by the command line.
      err.println("tito: failed: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
  }
}
