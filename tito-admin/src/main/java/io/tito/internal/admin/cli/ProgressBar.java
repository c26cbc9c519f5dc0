package io.tito.internal.admin.cli;

import io.tito.data.IndexBuildProgress;
import java.io.PrintWriter;

/**
 * A one-line progress bar on the error stream (so that standard output stays parseable). An
 * index build does not know its total up front, so the bar moves with each batch and the line
 * counts records and batches.
 */
final class ProgressBar {

  private static final int WIDTH = 20;

  private final PrintWriter err;
  private final String label;

  ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  void update(IndexBuildProgress p) {
    int pos = p.batches() % (WIDTH + 1);
    draw("=".repeat(pos) + ">" + " ".repeat(WIDTH - pos), p);
  }

  void finish(IndexBuildProgress p) {
    draw("=".repeat(WIDTH + 1), p);
    err.println();
    err.flush();
  }

  private void draw(String bar, IndexBuildProgress p) {
    err.print("\rbuilding " + label + " [" + bar + "] " + p.recordsScanned() + " records, "
        + p.batches() + " batches");
    err.flush();
  }
}
