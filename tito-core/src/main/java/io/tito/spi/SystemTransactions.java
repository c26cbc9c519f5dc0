package io.tito.spi;

/**
 * Marks threads that run only Tito's own short bookkeeping transactions (a worker's heartbeats,
 * lease renewals and lease acquisition), so that an engine may serve them from resources that
 * application transactions cannot exhaust: the JDBC engine gives them a small connection pool of
 * their own, so a heartbeat never waits behind handlers that hold every pooled connection. Engines
 * may ignore the mark; it changes no transaction semantics. Thread-safe.
 */
public final class SystemTransactions {

  private static final ThreadLocal<Boolean> MARKED = new ThreadLocal<>();

  private SystemTransactions() {}

  /**
   * Marks the calling thread, for the rest of its life, as one whose transactions are short
   * bookkeeping. Only for threads that never run application code.
   */
  public static void markCurrentThread() {
    MARKED.set(Boolean.TRUE);
  }

  /** Whether the calling thread was {@linkplain #markCurrentThread() marked}. */
  public static boolean isCurrentThreadMarked() {
    return MARKED.get() != null;
  }
}
