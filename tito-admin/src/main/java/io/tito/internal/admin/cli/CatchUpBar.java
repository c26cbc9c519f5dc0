package io.tito.internal.admin.cli;

import io.tito.events.ProjectionStatus;
import java.io.PrintWriter;

/**
 * A one-line progress bar on the error stream (standard output stays parseable) for a projection
 * catching up: the total is its lag when the run started, the progress how much of it is gone.
 */
final class CatchUpBar {

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final long total;

  CatchUpBar(PrintWriter err, String label, long total) {
    this.err = err;
    this.label = label;
    this.total = total;
  }

  void update(ProjectionStatus s) {
    draw(Math.max(0, total - s.lag()), s);
  }

  void finish(ProjectionStatus s) {
    draw(total, s);
    err.println();
    err.flush();
  }

  private void draw(long done, ProjectionStatus s) {
    int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
    err.print("\rcatching up " + label + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled)
        + "] " + done + "/" + total + " events, lag " + s.lag());
    err.flush();
  }
}
