package io.tito.admin.cli;

import io.tito.Tito;
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
    try (Session session = new Session(tito, out, err)) {
      return Root.commandLine(session).execute(args);
    } catch (RuntimeException e) {
      // Only closing can get here: the command's own failures are mapped by the command line.
      err.println("tito: failed: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
  }
}
