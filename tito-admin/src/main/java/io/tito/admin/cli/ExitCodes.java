package io.tito.admin.cli;

/** The exit codes of the {@code tito} command, which scripts can rely on. */
public final class ExitCodes {

  /** The command did what was asked. */
  public static final int OK = 0;

  /**
   * The operation failed: engine unreachable, storage error, conflict past the retry policy, or
   * any other failure (one line on standard error, never a stack trace).
   */
  public static final int FAILED = 1;

  /**
   * Bad usage: unknown command or option, missing or malformed argument, no store URL, or an
   * argument the store refused (a partition out of range, a limit too large, a tenant that
   * already exists...). The usage of the
   * command is printed for command-line errors.
   */
  public static final int USAGE = 2;

  /** What the command names does not exist: topic, group, dead letter, table or index. */
  public static final int NOT_FOUND = 3;

  private ExitCodes() {}
}
