package io.tito.internal.backup;

import io.tito.StorageException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs one S3 request with bounded retries of transient failures (network errors, 5xx, 429 and
 * throttling), with exponential backoff and jitter. Every other failure is returned at once.
 * Stateless and thread-safe.
 */
public final class S3Retry {

  private static final long BASE_BACKOFF_NANOS = 50_000_000L;

  private final int attempts;

  public S3Retry(int attempts) {
    this.attempts = attempts;
  }

  /** Runs {@code request}, retrying transient failures; other failures are thrown unchanged. */
  public <T> T call(String what, Map<String, Object> context, Supplier<T> request) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return request.get();
      } catch (SdkClientException | AwsServiceException e) {
        if (!transient_(e)) {
          throw e;
        }
        last = e;
        if (attempt < attempts) {
          long backoff = BASE_BACKOFF_NANOS << Math.min(attempt - 1, 6);
          LockSupport.parkNanos(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1)); // backoff
        }
      }
    }
    throw new StorageException("S3 request failed after " + attempts + " attempts: " + what,
        merge(context, "reason", String.valueOf(last.getMessage())), last, true);
  }

  /** Whether a failure may pass if the request is sent again. */
  static boolean transient_(RuntimeException e) {
    if (e instanceof AwsServiceException s) {
      return s.statusCode() >= 500 && s.statusCode() != 501 || s.statusCode() == 429 || s.isThrottlingException();
    }
    return e instanceof SdkClientException; // network, timeout, unreadable response
  }

  private static Map<String, Object> merge(Map<String, Object> context, String key, Object value) {
    java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>(context);
    m.put(key, value);
    return m;
  }
}
