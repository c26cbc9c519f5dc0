package io.tito.backup;

/**
 * Told how a backup or restore advances, after each chunk. Called on the thread running the
 * operation; it must return quickly and not throw (an exception it throws aborts the operation).
 */
@FunctionalInterface
public interface BackupProgress {

  /** Reports nothing. */
  BackupProgress NONE = p -> {};

  /** Called after each chunk with the totals so far. */
  void update(Status status);

  /**
   * Totals of a running operation.
   *
   * @param operation {@code backup}, {@code verify} or {@code restore}
   * @param backupId the backup being written or read
   * @param chunks chunks done
   * @param entries entries (key-value pairs or commits) done
   * @param rawBytes uncompressed bytes done
   */
  record Status(String operation, String backupId, long chunks, long entries, long rawBytes) {}
}
