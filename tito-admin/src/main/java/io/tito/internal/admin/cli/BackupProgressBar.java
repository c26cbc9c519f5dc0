package io.tito.internal.admin.cli;

import io.tito.backup.BackupProgress;
import java.io.PrintWriter;

/**
 * A one-line progress bar of a backup, verification or restore on the error stream (standard
 * output stays parseable): moved by each chunk, with the operation, backup id, chunks, records
 * and bytes so far (the total is not known up front). Called from the backup's thread only.
 */
final class BackupProgressBar implements BackupProgress {

  private static final int WIDTH = 20;

  private final PrintWriter err;
  private boolean drawn;
  private int width;

  BackupProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void update(Status s) {
    int pos = (int) (s.chunks() % (WIDTH + 1));
    String line = s.operation() + " " + s.backupId() + " [" + "=".repeat(pos) + ">"
        + " ".repeat(WIDTH - pos) + "] " + s.chunks() + " chunks, " + s.entries() + " records, "
        + s.rawBytes() + " bytes";
    // A restore verifies, then writes: pad so that a shorter line hides the longer one before.
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    width = Math.max(width, line.length());
    err.flush();
    drawn = true;
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
