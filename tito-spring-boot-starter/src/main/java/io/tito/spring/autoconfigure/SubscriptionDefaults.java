package io.tito.spring.autoconfigure;

import io.tito.pubsub.StartPosition;
import io.tito.pubsub.SubscribeOptions;
import io.tito.spring.TitoListener;
import io.tito.spring.TitoProperties;

/** Builds one listener's {@link SubscribeOptions}: the annotation over {@code tito.subscription.*}. */
final class SubscriptionDefaults {

  private SubscriptionDefaults() {}

  /**
   * The options for {@code listener}: unset properties keep {@link SubscribeOptions#DEFAULTS}.
   *
   * @throws io.tito.InvalidArgumentException if a value is out of range (from the builder)
   */
  static SubscribeOptions options(TitoProperties.Subscription s, TitoListener listener) {
    SubscribeOptions.Builder b = SubscribeOptions.builder();
    if (s.getStart() != null) {
      b.start(s.getStart() == TitoProperties.Start.LATEST ? StartPosition.LATEST
          : StartPosition.EARLIEST);
    }
    if (s.getMaxAttempts() != null) {
      b.maxAttempts(s.getMaxAttempts());
    }
    if (s.getInitialBackoff() != null || s.getMaxBackoff() != null) {
      b.backoff(s.getInitialBackoff() != null ? s.getInitialBackoff()
              : SubscribeOptions.DEFAULTS.initialBackoff(),
          s.getMaxBackoff() != null ? s.getMaxBackoff() : SubscribeOptions.DEFAULTS.maxBackoff());
    }
    if (s.getConcurrency() != null) {
      b.concurrency(s.getConcurrency());
    }
    if (s.getHandlerTimeout() != null) {
      b.handlerTimeout(s.getHandlerTimeout());
    }
    if (s.getShutdownTimeout() != null) {
      b.shutdownTimeout(s.getShutdownTimeout());
    }
    if (s.getPollInterval() != null) {
      b.pollInterval(s.getPollInterval());
    }
    if (s.getCheckpointEvery() != null || s.getCheckpointDelay() != null) {
      b.checkpointEvery(
          s.getCheckpointEvery() != null ? s.getCheckpointEvery()
              : SubscribeOptions.DEFAULTS.checkpointEvery(),
          s.getCheckpointDelay() != null ? s.getCheckpointDelay()
              : SubscribeOptions.DEFAULTS.checkpointDelay());
    }
    if (listener.concurrency() > 0) {
      b.concurrency(listener.concurrency());
    }
    if (listener.maxAttempts() > 0) {
      b.maxAttempts(listener.maxAttempts());
    }
    return b.build();
  }
}
