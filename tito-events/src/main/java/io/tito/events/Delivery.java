package io.tito.events;

/**
 * One event handed to a {@link EventSubscriptions#subscribeManual manual-ack} handler, which must
 * {@link #ack} or {@link #nack} it before returning. Not thread-safe; valid during the call only.
 */
public final class Delivery {

  private final RecordedEvent event;
  private boolean acked;
  private String nacked;

  Delivery(RecordedEvent event) {
    this.event = event;
  }

  public RecordedEvent event() {
    return event;
  }

  /** Done with it: the group's checkpoint moves past it once the handler returns. */
  public void ack() {
    acked = true;
    nacked = null;
  }

  /** Not done: counts as a failed attempt (retried after the backoff, dead-lettered at the max). */
  public void nack(String reason) {
    acked = false;
    nacked = reason == null ? "nacked" : reason;
  }

  /** Throws unless acked (a handler that did neither nacked). */
  void requireAcked() {
    if (!acked) {
      throw new NackedException(nacked == null ? "handler returned without ack" : nacked);
    }
  }

  /** The failure recorded for a nacked delivery. */
  public static final class NackedException extends RuntimeException {
    NackedException(String reason) {
      super(reason);
    }
  }
}
