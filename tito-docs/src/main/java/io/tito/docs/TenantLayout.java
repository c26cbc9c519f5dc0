package io.tito.docs;

/** Where a tenant's keys live in the shared store. */
public enum TenantLayout {
  /**
   * Under a key prefix {@code ("tito-tenant", name)} of the shared store's own key space: works on
   * every engine. The default.
   */
  KEY_PREFIX,
  /**
   * In a keyspace of its own ({@link io.tito.spi.Engine#keyspace}), for engines declaring
   * {@link io.tito.spi.Capability#KEYSPACES}: on PostgreSQL and MariaDB, a table set per tenant
   * (the analogue of a schema per tenant), dropped as tables.
   */
  KEYSPACE
}
