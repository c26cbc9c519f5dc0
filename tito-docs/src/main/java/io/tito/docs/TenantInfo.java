package io.tito.docs;

import java.time.Instant;

/**
 * A tenant as recorded in the catalogue.
 *
 * @param name the tenant name
 * @param createdAt when it was first ensured (store clock)
 * @param definitionVersion the definition version of the code that last opened it (or created
 *     it); lower than {@link Tenants#definitionVersion()} means it lags the code
 * @param lagging whether {@code definitionVersion} is lower than the code's
 */
public record TenantInfo(String name, Instant createdAt, long definitionVersion,
    boolean lagging) {}
