package io.tito.admin;

import io.tito.NotFoundException;
import java.util.List;
import java.util.Map;

/**
 * The operator's view of document collections (tito-docs): a collection is stored as the table
 * {@code "doc." + name} of tito-data, so its indexes and their build states are read like any
 * model's, from the store's metadata; collections without a declared index have no metadata and
 * are not listed. For a tenant's collections, pass {@link TenantAdmin#admin(String)}.
 */
public final class DocumentAdmin {

  /** The table prefix of document collections. */
  public static final String TABLE_PREFIX = "doc.";

  private DocumentAdmin() {}

  /** The collections with stored index states, by name (tables without the prefix). */
  public static List<ModelInfo> collections(TitoAdmin admin) {
    return admin.models().stream().filter(m -> m.table().startsWith(TABLE_PREFIX))
        .map(m -> new ModelInfo(m.table().substring(TABLE_PREFIX.length()), m.registered(),
            m.indexes()))
        .toList();
  }

  /** One collection's indexes. @throws NotFoundException if none is stored for it */
  public static ModelInfo collection(TitoAdmin admin, String name) {
    return collections(admin).stream().filter(m -> m.table().equals(name)).findFirst()
        .orElseThrow(() -> new NotFoundException("collection not found",
            Map.of("collection", String.valueOf(name))));
  }
}
