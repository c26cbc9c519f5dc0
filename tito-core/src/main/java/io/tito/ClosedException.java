package io.tito;

import java.util.Map;

/** The engine, store or transaction was already closed (or finished) when it was used. */
public final class ClosedException extends TitoException {

  public ClosedException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  @Override
  public boolean isRetriable() {
    return false;
  }
}
