package io.tito.log;

/** What a processing function decided about one record. */
public enum Outcome {
  /**
   * Done: the consumer moves past the record. An exactly-once consumer first saves its
   * checkpoint durably (or, into a Tito store, in the processing transaction).
   */
  COMMIT,
  /** Not done: the same record is offered again after the consumer's backoff. */
  RETRY,
  /**
   * Move on without processing: like {@link #COMMIT} for the checkpoint (a skipped record is not
   * offered again after a restart), but counted as skipped.
   */
  SKIP,
  /** Stop: processing returns to the caller; the record is not consumed and comes next again. */
  BREAK
}
