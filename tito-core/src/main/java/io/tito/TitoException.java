package io.tito;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Root of every exception Tito throws. Unchecked and sealed: callers can switch over the kinds.
 *
 * <p>The message is static text that stays searchable in logs; the variable parts (keys, sizes,
 * names) are attached as {@linkplain #context() context} and appended to {@link #getMessage()}.
 *
 * <p>{@link #isRetriable()} tells whether re-running the whole transaction may succeed; the
 * transaction runner uses it to decide what to retry.
 */
public abstract sealed class TitoException extends RuntimeException
    permits ConflictException,
        CommitUnknownException,
        StorageException,
        InvalidArgumentException,
        LimitExceededException,
        ClosedException,
        NotFoundException,
        AlreadyExistsException,
        VersionConflictException {

  private final Map<String, Object> context;

  protected TitoException(String message, Map<String, ?> context, Throwable cause) {
    super(message, cause);
    this.context = context == null || context.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(context));
  }

  /** Variable details of this failure, in insertion order; never null. */
  public Map<String, Object> context() {
    return context;
  }

  /** Whether re-running the whole transaction may succeed. */
  public abstract boolean isRetriable();

  /** The static message without context. */
  public String staticMessage() {
    return super.getMessage();
  }

  @Override
  public String getMessage() {
    if (context.isEmpty()) {
      return super.getMessage();
    }
    StringBuilder sb = new StringBuilder(super.getMessage()).append(" {");
    boolean first = true;
    for (Map.Entry<String, Object> e : context.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.append('}').toString();
  }

  /** Builds a context map from alternating key/value arguments. */
  static Map<String, Object> ctx(Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("context needs key/value pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    return m;
  }
}
