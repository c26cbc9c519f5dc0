package io.tito.data;

/**
 * Progress of an online index build, reported after each committed batch and returned at the end.
 * Immutable and thread-safe.
 *
 * @param table the model's table
 * @param index the index being built
 * @param recordsScanned records indexed so far by this build
 * @param batches batches (transactions) committed so far
 * @param state the index state after the last batch ({@link IndexState#READABLE} when done)
 */
public record IndexBuildProgress(String table, String index, long recordsScanned, int batches,
    IndexState state) {

  /** Whether the index is complete. */
  public boolean done() {
    return state == IndexState.READABLE;
  }
}
