package io.tito.backup;

import java.util.List;

/**
 * What a restore wrote.
 *
 * @param version the commit version of the restored state (the source store's numbering)
 * @param timeMillis the time of that state (epoch milliseconds; the last applied commit's, or the
 *     full backup's snapshot time)
 * @param chain the ids of the backups read, full backup first
 * @param entries key-value entries written from the full backup
 * @param commits commits applied from incremental backups
 */
public record RestoreResult(long version, long timeMillis, List<String> chain, long entries, long commits) {
  public RestoreResult {
    chain = List.copyOf(chain);
  }
}
