package io.tito.docs;

/**
 * How one index definition of a tenant compares with this code's ({@link Tenants#drift}).
 *
 * @param table the tito-data table ({@code doc.<collection>} for a document collection)
 * @param index the index name
 * @param status how it compares
 */
public record IndexDrift(String table, String index, Status status) {

  /** How a tenant's recorded index definition compares with the code's. */
  public enum Status {
    /** Recorded with the same definition as the code's. */
    CURRENT,
    /** Recorded with another definition (paths, uniqueness): the code changed it. */
    CHANGED,
    /** In the code, not recorded: the tenant was not opened since the index was declared. */
    ADDED,
    /** Recorded, no longer in the code. */
    REMOVED
  }

  /** Whether the tenant's definition differs from the code's. */
  public boolean drifted() {
    return status != Status.CURRENT;
  }
}
