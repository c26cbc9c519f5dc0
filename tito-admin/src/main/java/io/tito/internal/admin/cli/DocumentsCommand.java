package io.tito.internal.admin.cli;

import io.tito.admin.DocumentAdmin;
import io.tito.admin.ModelInfo;
import io.tito.admin.TenantAdmin;
import io.tito.admin.TitoAdmin;
import io.tito.data.IndexState;
import io.tito.internal.admin.Views;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito documents collections|indexes [--tenant T]}. */
@Command(name = "documents", description = "Document collections (of the store or a tenant) "
    + "and their indexes' build states.", mixinStandardHelpOptions = true)
final class DocumentsCommand {

  private final Session session;

  DocumentsCommand(Session session) {
    this.session = session;
  }

  /** Whose collections. */
  static final class Tenant {
    @Option(names = "--tenant", paramLabel = "TENANT",
        description = "A tenant's collections (default: the store's own).")
    String name;
  }

  private <T> T on(Tenant tenant, Function<TitoAdmin, T> read) {
    if (tenant.name == null) {
      return read.apply(session.admin());
    }
    try (TenantAdmin tenants = TenantAdmin.of(session.admin().tito(), 0)) {
      return read.apply(tenants.admin(tenant.name));
    }
  }

  @Command(name = "collections", description = "Collections with their index count and how "
      + "many are not readable yet.")
  int collections(@Mixin Common common, @Mixin Tenant tenant) {
    List<ModelInfo> all = on(tenant, DocumentAdmin::collections);
    if (session.json()) {
      session.printJson(Views.list(all, Views::model));
      return 0;
    }
    Table t = new Table("COLLECTION", "INDEXES", "NOT-READABLE");
    for (ModelInfo m : all) {
      t.row(m.table(), m.indexes().size(),
          m.indexes().values().stream().filter(s -> s != IndexState.READABLE).count());
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "indexes", description = "A collection's indexes and their states.")
  int indexes(@Mixin Common common, @Mixin Tenant tenant,
      @Parameters(paramLabel = "COLLECTION") String name) {
    ModelInfo m = on(tenant, admin -> DocumentAdmin.collection(admin, name));
    if (session.json()) {
      session.printJson(Views.model(m));
      return 0;
    }
    Table t = new Table("INDEX", "STATE");
    m.indexes().forEach((k, v) -> t.row(k, v));
    t.print(session.out());
    return 0;
  }
}
