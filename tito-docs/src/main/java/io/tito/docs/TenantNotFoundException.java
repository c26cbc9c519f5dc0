package io.tito.docs;

import io.tito.NotFoundException;
import java.util.Map;

/** A tenant was used that was never ensured (or was dropped). Context: {@code tenant}. */
public final class TenantNotFoundException extends NotFoundException {

  /** Creates the exception for {@code tenant}. */
  public TenantNotFoundException(String tenant) {
    super("tenant not found; call Tenants.ensure first", Map.of("tenant", tenant));
  }
}
