package io.tito.log;

import java.nio.file.Path;

/**
 * A record that cannot be trusted where a valid one must be: inside a sealed segment, or in the
 * active segment before the position its last sync covered. A torn tail (an invalid record after
 * the last synced position of the active segment) is not corruption: it is truncated when a
 * producer opens the log, and never delivered. The log refuses to go past the corrupt record.
 */
public final class LogCorruptedException extends LogException {

  private static final long serialVersionUID = 1L;

  private final transient Path segment;
  private final long offset;
  private final long position;

  /** Corruption in {@code segment} where the record {@code offset} was expected at byte {@code position}. */
  public LogCorruptedException(Path segment, long offset, long position, String detail) {
    super("corrupt log segment " + segment + ": record " + offset + " at byte " + position
        + ": " + detail);
    this.segment = segment;
    this.offset = offset;
    this.position = position;
  }

  /** The segment file holding the corrupt record. */
  public Path segment() {
    return segment;
  }

  /** The offset the corrupt record should have had. */
  public long offset() {
    return offset;
  }

  /** The byte position of the corrupt record in its segment file. */
  public long position() {
    return position;
  }
}
