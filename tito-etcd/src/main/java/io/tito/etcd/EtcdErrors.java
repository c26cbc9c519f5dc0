package io.tito.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tito.ConflictException;
import io.tito.LimitExceededException;
import io.tito.StorageException;
import io.tito.TitoException;
import java.util.Map;

/**
 * Maps etcd's gRPC errors to Tito's exceptions. The messages matched are etcd's own ({@code
 * etcdserver: ...}, {@code mvcc: ...}), stable across 3.4 and 3.5.
 */
final class EtcdErrors {

  private EtcdErrors() {}

  /** A request that failed without changing anything (a read, or a write rejected up front). */
  static TitoException failed(String operation, StatusRuntimeException e) {
    String message = message(e);
    Map<String, Object> context = Map.of("engine", EtcdEngineProvider.NAME, "operation", operation,
        "status", e.getStatus().getCode().name(), "cause", message);
    if (message.contains("required revision has been compacted")) {
      return new ConflictException(
          "transaction is too old: the cluster compacted the revision of its snapshot", context, e);
    }
    if (message.contains("database space exceeded")) {
      return new StorageException(
          "storage full: the etcd cluster reached its space quota (NOSPACE alarm); free space, compact,"
              + " defragment and disarm the alarm", context, e, false);
    }
    if (isAccessDenied(e)) {
      return new StorageException("etcd denied access: check the engine's user and password, and that"
          + " the user's role may read and write the namespace's key prefix", context, e, false);
    }
    if (message.contains("request is too large") || message.contains("too many operations")) {
      return new LimitExceededException("transaction is larger than the etcd cluster accepts", context);
    }
    return new StorageException("etcd request failed", context, e, isTransient(e));
  }

  /** Whether the failure may be temporary (a member down, a leader election, a deadline). */
  static boolean isTransient(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.ABORTED || message(e).contains("leader changed")
        || code == Status.Code.UNKNOWN && message(e).contains("channel closed") // the member went away mid-call
        || message(e).contains("request timed out");
  }

  /**
   * Whether a write that failed this way may still have been applied, or may still be: anything
   * but an answer by which etcd rejected the request before proposing it.
   */
  static boolean outcomeUnknown(StatusRuntimeException e) {
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, PERMISSION_DENIED,
          UNAUTHENTICATED, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS, UNIMPLEMENTED -> false;
      default -> true;
    };
  }

  /**
   * Whether the cluster refused the request for who sent it: no permission on the key, no user
   * named while authentication is on, or an unknown user.
   */
  static boolean isAccessDenied(StatusRuntimeException e) {
    String m = message(e);
    return e.getStatus().getCode() == Status.Code.PERMISSION_DENIED || m.contains("permission denied")
        || m.contains("user name is empty") || m.contains("user name not found");
  }

  /** Whether the request was refused for an expired or invalid authentication token. */
  static boolean isAuthExpired(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED || message(e).contains("invalid auth token");
  }

  /**
   * Whether the cluster refused or flagged a write for its space quota (NOSPACE). The write that
   * crosses the quota is applied and still answered with this error; later ones are refused.
   */
  static boolean isNoSpace(StatusRuntimeException e) {
    return message(e).contains("database space exceeded");
  }

  /** Whether a write referred to a lease that no longer exists. */
  static boolean isLeaseGone(StatusRuntimeException e) {
    return message(e).contains("requested lease not found");
  }

  static String message(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return d == null ? "" : d;
  }
}
