package io.tito.docs;

/** The life-cycle state of a tenant in the catalogue. */
public enum TenantState {
  /** Usable. */
  ACTIVE,
  /**
   * Being restored from an archive, or a restore that failed part-way: not usable (opening it
   * fails with {@link TenantNotFoundException}) until {@link Tenants#restore} completes; it may
   * be restored again or dropped.
   */
  RESTORING,
  /** Being dropped, or a drop that failed part-way: not usable; drop it again to finish. */
  DROPPING
}
