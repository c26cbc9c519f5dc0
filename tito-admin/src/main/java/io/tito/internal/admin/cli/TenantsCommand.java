package io.tito.internal.admin.cli;

import io.tito.admin.TenantAdmin;
import io.tito.docs.TenantInfo;
import io.tito.internal.admin.OpsViews;
import io.tito.internal.admin.Views;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito tenants list|status|ensure|archive|restore|drop}. */
@Command(name = "tenants", description = "Tenants of the store: list, status, ensure, archive, restore, drop.",
    mixinStandardHelpOptions = true)
final class TenantsCommand {

  private final Session session;

  TenantsCommand(Session session) {
    this.session = session;
  }

  /** The option every tenants command takes besides the common ones. */
  static final class Version {
    @Option(names = "--definition-version", defaultValue = "0", paramLabel = "N",
        description = "The application's definition version: tenants recorded below it are "
            + "LAGGING, and ensure records it for a new tenant (default 0).")
    long value;
  }

  private <T> T tenants(Version v, java.util.function.Function<TenantAdmin, T> operation) {
    try (TenantAdmin tenants = TenantAdmin.of(session.admin().tito(), v.value)) {
      return operation.apply(tenants);
    }
  }

  @Command(name = "list", description = "Every tenant with its definition version.")
  int list(@Mixin Common common, @Mixin Version version) {
    List<TenantInfo> all = tenants(version, TenantAdmin::list);
    if (session.json()) {
      session.printJson(Views.list(all, OpsViews::tenant));
      return 0;
    }
    Table t = new Table("TENANT", "CREATED", "DEFINITION-VERSION", "LAGGING");
    for (TenantInfo i : all) {
      t.row(i.name(), i.createdAt(), i.definitionVersion(), i.lagging());
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "status", description = "One tenant.")
  int status(@Mixin Common common, @Mixin Version version,
      @Parameters(paramLabel = "TENANT") String name) {
    return print(tenants(version, t -> t.status(name)), "tenant");
  }

  @Command(name = "ensure", description = "Creates a tenant if absent (idempotent).")
  int ensure(@Mixin Common common, @Mixin Version version,
      @Parameters(paramLabel = "TENANT") String name) {
    return print(tenants(version, t -> t.ensure(name)), "ensured tenant");
  }

  @Command(name = "archive", description = "Writes every key of a tenant to a new file.")
  int archive(@Mixin Common common, @Mixin Version version,
      @Parameters(paramLabel = "TENANT") String name,
      @Option(names = "--to", required = true, paramLabel = "FILE",
          description = "The archive file (must not exist).") Path file) {
    long n = tenants(version, t -> t.archive(name, file));
    if (session.json()) {
      session.printJson(Map.of("tenant", name, "file", file.toString(), "entries", n));
    } else {
      session.out().printf("archived tenant %s: %d entries to %s%n", name, n, file);
      session.out().flush();
    }
    return 0;
  }

  @Command(name = "restore", description = "Restores a tenant from an archive file (a new tenant, "
      + "unusable until every key is in).")
  int restore(@Mixin Common common, @Mixin Version version,
      @Parameters(paramLabel = "FILE", description = "An archive written by tenants archive.") Path file,
      @Option(names = "--as", paramLabel = "TENANT",
          description = "The tenant's name (default: the name recorded in the archive).") String name) {
    return print(tenants(version, t -> t.restore(file, name)), "restored tenant");
  }

  @Command(name = "drop", description = "Deletes a tenant and all its data (needs --force).")
  int drop(@Mixin Common common, @Mixin Version version,
      @Parameters(paramLabel = "TENANT") String name,
      @Option(names = "--force", description = "Really delete all its data.") boolean force) {
    tenants(version, t -> {
      t.drop(name, force);
      return null;
    });
    if (session.json()) {
      session.printJson(Map.of("dropped", name));
    } else {
      session.out().printf("dropped tenant %s%n", name);
      session.out().flush();
    }
    return 0;
  }

  private int print(TenantInfo info, String what) {
    if (session.json()) {
      session.printJson(OpsViews.tenant(info));
    } else {
      session.out().printf("%s %s: created %s, definition version %d%s%n", what, info.name(),
          info.createdAt(), info.definitionVersion(), info.lagging() ? " (LAGGING)" : "");
      session.out().flush();
    }
    return 0;
  }
}
