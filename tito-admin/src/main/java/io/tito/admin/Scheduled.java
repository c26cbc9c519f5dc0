package io.tito.admin;

/** Which scheduled events to list: those due by the clock, those not due yet, or both. */
public enum Scheduled {
  /** Due by the store's clock: the partition's workers release them into the log next. */
  DUE,
  /** Not due yet. */
  PENDING,
  /** Both. */
  ALL
}
