package io.tito.spi;

/**
 * Receives an engine's change notifications ({@link Engine#listen}). Called on an engine thread:
 * implementations must return quickly and be thread-safe.
 */
@FunctionalInterface
public interface ChangeListener {

  /**
   * Another process committed a transaction that {@linkplain EngineTransaction#notifyOnCommit
   * notified} the channel.
   *
   * @param payload what that transaction passed with the notification, or null when unknown: the
   *     transaction gave none, the engine could not carry it, or notifications may have been missed
   *     (after the engine listens again following a loss). Null means anything may have changed.
   */
  void changed(String payload);

  /**
   * Whether notifications arrive reliably from now on: {@code true} once the engine listens (and
   * again after it recovered from a loss, followed by a {@link #changed changed(null)}), {@code
   * false} when it lost its notification channel; until it is back, changes may go unnoticed.
   * Engines that never notify never call it. Default: ignored.
   */
  default void listening(boolean healthy) {}
}
