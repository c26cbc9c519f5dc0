package io.tito.spi;

/**
 * Loads key/values, in strictly increasing key order, into an empty store without transactions:
 * the fast path of restoring a full backup. Obtained from {@link Engine#bulkLoader()} on engines
 * with {@link Capability#BULK_LOAD}.
 *
 * <p>Contract (proved by the conformance kit):
 * <ul>
 *   <li>Nothing added is visible before {@link #finish()}; {@code finish} makes every entry visible
 *       at once (atomically, also across a crash).
 *   <li>A loader that is closed without finishing, or whose {@code add} or {@code finish} failed,
 *       leaves the store empty and frees what it staged.
 *   <li>The store must be empty when the loader is opened and when it finishes, and nobody else
 *       may write to it in between; otherwise {@code finish} fails and the store keeps only what
 *       the others wrote. Loaded entries are not commits: they do not appear in a
 *       {@link ChangeFeed}, so an engine refuses to load while the feed has retention holds.
 *   <li>Keys and values are checked against {@link Engine#limits()} (but no transaction size
 *       applies).
 * </ul>
 *
 * <p>Not thread-safe: one thread adds and finishes.
 */
public interface BulkLoader extends AutoCloseable {

  /**
   * Stages one entry. The arrays are not kept.
   *
   * @throws io.tito.InvalidArgumentException if {@code key} is not greater than the previous key
   *     (unsigned byte order), an argument is null, or the loader was finished or closed
   * @throws io.tito.LimitExceededException if the key or value is larger than the engine accepts
   * @throws io.tito.StorageException if staging fails (the loader is then aborted)
   */
  void add(byte[] key, byte[] value);

  /**
   * Stages one entry given as ranges of arrays: exactly {@link #add(byte[], byte[])} of
   * {@code key[keyOffset, keyOffset + keyLength)} and {@code value[valueOffset, valueOffset +
   * valueLength)}, with the same checks and failures. For callers that hold many entries in one
   * array (a decompressed backup chunk): an engine may copy the ranges straight into what it
   * stages, without an array per key and value. The arrays are not kept. The default copies the
   * ranges and calls {@link #add(byte[], byte[])}.
   *
   * @throws IndexOutOfBoundsException if a range is outside its array
   */
  default void add(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
    java.util.Objects.checkFromIndexSize(keyOffset, keyLength, key.length);
    java.util.Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    add(java.util.Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength),
        java.util.Arrays.copyOfRange(value, valueOffset, valueOffset + valueLength));
  }

  /**
   * Makes every staged entry visible at once and ends the loader.
   *
   * @return the number of entries loaded
   * @throws io.tito.InvalidArgumentException if the store is no longer empty, holds appeared on
   *     the change feed, or the loader was finished or closed (nothing is loaded)
   * @throws io.tito.StorageException if the engine cannot load the entries (nothing is loaded)
   */
  long finish();

  /** Aborts the load if it did not finish: the store stays empty. Idempotent. */
  @Override
  void close();
}
