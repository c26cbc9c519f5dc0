/**
 * Tito log: a local transactional log on segment files ({@code io.tito.log}), strictly FIFO, with
 * durable appends (group commit), at-least-once and exactly-once consumers, and exactly-once
 * consumption into a Tito store. {@code io.tito.log.internal} is not exported. It depends on
 * tito-core for {@link io.tito.Backoff}, the argument errors and the store adapter only.
 */
module io.tito.log {
  requires transitive io.tito.core;

  exports io.tito.log;
}
