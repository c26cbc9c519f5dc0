package io.tito.backup;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where backups live: a flat set of backups, each a named group of files (its chunks and its
 * manifest). Implementations: {@link LocalDirectoryStorage}; an object store fits the same shape
 * (a backup id is a key prefix).
 *
 * <p>Contract: a file created through {@link #create} becomes visible under its name only when the
 * stream is closed without error (a failed or abandoned write leaves no file of that name), and
 * files are never modified once visible. A backup is complete once its manifest file exists; the
 * manifest is always written last. Errors are {@link io.tito.StorageException}s, except a missing
 * file or backup, which is {@link io.tito.NotFoundException}. Implementations are thread-safe.
 */
public interface BackupStorage {

  /** The ids of every backup that has at least one file, complete or not, in no set order. */
  List<String> backupIds();

  /** The file names of backup {@code backupId} (empty if none). */
  List<String> files(String backupId);

  /**
   * A stream that writes file {@code name} of backup {@code backupId}; the file appears when the
   * stream is closed.
   *
   * @throws io.tito.AlreadyExistsException if that file already exists
   */
  OutputStream create(String backupId, String name);

  /**
   * Reads file {@code name} of backup {@code backupId}.
   *
   * @throws io.tito.NotFoundException if there is no such file
   */
  InputStream open(String backupId, String name);

  /** Deletes every file of backup {@code backupId}; does nothing if there are none. */
  void delete(String backupId);
}
