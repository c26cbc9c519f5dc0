/**
 * Tito backup: full and incremental backups of a store in checksummed, compressed chunks, and
 * verified point-in-time restore into an empty store of any engine ({@code io.tito.backup}).
 * {@code io.tito.internal.backup} is not exported.
 */
module io.tito.backup {
  requires transitive io.tito.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.tito.backup;
}
