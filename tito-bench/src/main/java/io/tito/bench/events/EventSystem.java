package io.tito.bench.events;

/**
 * One event store under test, as the event-store benchmark drives it. Every event is a
 * {@code Deposited} with a JSON payload {@code {"amount": n}}; an aggregate's state is the sum of
 * its amounts, so a load returns that sum and the harness compares it across systems.
 */
interface EventSystem extends AutoCloseable {

  /** The label in the tables, e.g. "Tito on RocksDB". */
  String label();

  /**
   * Appends {@code count} events with amounts {@code firstAmount, firstAmount + 1, ...} to
   * {@code stream}, expecting the stream at {@code expectedVersion} (0 = no event yet), in one
   * transaction. Called from several threads, each on its own streams.
   */
  void append(String stream, long expectedVersion, int count, long firstAmount) throws Exception;

  /** Stores a snapshot of {@code stream}'s state (a sum) at {@code version}. */
  void snapshot(String stream, long version, long sum) throws Exception;

  /** Loads the aggregate of {@code stream} from its events only; returns the sum. */
  long loadFromEvents(String stream) throws Exception;

  /** Loads the aggregate of {@code stream} from its latest snapshot plus the events after it. */
  long loadWithSnapshot(String stream) throws Exception;

  /**
   * Reads the whole global log from the start in pages of {@code page}, decoding every payload;
   * returns the number of events read plus (in {@code sums[0]}) the sum of their amounts.
   */
  long readAll(int page, long[] sums) throws Exception;

  @Override
  void close() throws Exception;

  /** Brings the store to a long-running store's state before timing (see {@code SteadyStore}). */
  default void settle() throws Exception {}
}
