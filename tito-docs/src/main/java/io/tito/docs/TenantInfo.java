package io.tito.docs;

import java.time.Instant;

/**
 * A tenant as recorded in the catalogue.
 *
 * @param name the tenant name
 * @param createdAt when it was first ensured (store clock)
 * @param definitionVersion the definition version of the code that last opened it (or created
 *     it); lower than {@link Tenants#definitionVersion()} means it lags the code
 * @param lagging whether {@code definitionVersion} is lower than the code's (per-index drift:
 *     {@link Tenants#drift})
 * @param layout where its keys live
 * @param keyspace the engine keyspace holding it ({@link TenantLayout#KEYSPACE}), else null
 * @param state its life-cycle state
 */
public record TenantInfo(String name, Instant createdAt, long definitionVersion,
    boolean lagging, TenantLayout layout, String keyspace, TenantState state) {}
