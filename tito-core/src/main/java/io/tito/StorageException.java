package io.tito;

import java.util.Map;

/**
 * The engine failed to read or write (I/O error, corrupt data, lost connection before commit,
 * a store that cannot be opened). {@link #isRetriable()} is true only for transient failures, such
 * as a connection lost before the commit was sent, where nothing was applied.
 */
public final class StorageException extends TitoException {

  private final boolean retriable;

  public StorageException(String message, Map<String, ?> context, Throwable cause) {
    this(message, context, cause, false);
  }

  public StorageException(String message, Map<String, ?> context, Throwable cause, boolean retriable) {
    super(message, context, cause);
    this.retriable = retriable;
  }

  @Override
  public boolean isRetriable() {
    return retriable;
  }
}
