package io.tito.log;

/** Processes one record and says what to do with it. An exception aborts processing (the record is not consumed). */
@FunctionalInterface
public interface RecordProcessor {

  /** @param attempt 1 for the first offer of this record, then 2, 3, ... after each {@link Outcome#RETRY} */
  Outcome process(LogRecord record, int attempt);
}
