/**
 * The engine conformance kit: abstract JUnit 5 tests that prove an {@link io.tito.spi.Engine}
 * keeps the engine contract: snapshot isolation with first-committer-wins, read-your-writes in
 * point reads and range scans, byte-ordered streamed scans, atomic commit with a distinct
 * unknown-outcome error, and limits checked up front (the contracts are listed below).
 *
 * <p>An engine module depends on {@code tito-testkit} in test scope and extends
 * {@link io.tito.testkit.EngineConformanceTest}, which runs every contract:
 * <ul>
 *   <li>{@link io.tito.testkit.PointOperationsContract}: get, set, clear; absent keys, overwrites,
 *       empty values and the empty key, every byte value, arrays copied in and out.
 *   <li>{@link io.tito.testkit.RangeScanContract}: unsigned byte order, {@code [begin, end)},
 *       forward and reverse, limits, prefix keys, 0x00/0xFF bytes, paging, several cursors.
 *   <li>{@link io.tito.testkit.ReadYourWritesContract}: pending sets, clears and range clears in
 *       gets and merged scans; open cursors not disturbed by later writes.
 *   <li>{@link io.tito.testkit.RandomizedModelContract}: random operations and scans against a
 *       {@link io.tito.testkit.ReferenceModel}, seeded, before and after commit.
 *   <li>{@link io.tito.testkit.IsolationContract}: snapshots, invisibility of uncommitted writes,
 *       read-only transactions, write skew when {@code SERIALIZABLE}.
 *   <li>{@link io.tito.testkit.ConflictContract}: first committer wins, every kind of write-write
 *       conflict, no conflict on disjoint keys, a failed commit applies nothing.
 *   <li>{@link io.tito.testkit.ConcurrencyContract}: bank transfers with audits, increments,
 *       atomic visibility, disjoint writers, from several threads, bounded in time.
 *   <li>{@link io.tito.testkit.LimitsContract}: key, value and transaction sizes at and over the
 *       limits; null and inverted arguments.
 *   <li>{@link io.tito.testkit.LifecycleContract}: rollback, use after commit, rollback and
 *       engine close, cursor ends, resource release.
 *   <li>{@link io.tito.testkit.DurabilityContract}: data intact after reopen, uncommitted data
 *       gone (skipped when the engine cannot be reopened).
 *   <li>{@link io.tito.testkit.EngineFaultContract}: the engine paused at its declared
 *       {@linkplain io.tito.testkit.FaultPoints fault points} (commit lock, group-commit sync):
 *       nothing half-applied or unsynced is read, concurrent commits still conflict (skipped for
 *       the points an engine declares absent).
 * </ul>
 */
package io.tito.testkit;
