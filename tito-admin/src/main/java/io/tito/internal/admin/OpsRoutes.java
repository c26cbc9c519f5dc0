package io.tito.internal.admin;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.admin.BackupAdmin;
import io.tito.admin.DocumentAdmin;
import io.tito.admin.LogAdmin;
import io.tito.admin.TenantAdmin;
import io.tito.admin.TitoAdmin;
import io.tito.backup.BackupManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON endpoints of tenants, backups and logs (listed in the module README). Backups and logs
 * are only those the server was configured with: a request never names a file or directory.
 * Thread-safe.
 */
public final class OpsRoutes implements ApiArea {

  private final TitoAdmin admin;
  private final Path backupDirectory;
  private final Map<String, Path> logs;

  /**
   * @param backupDirectory the backup directory of {@code /api/backups}, or null (not served)
   * @param logs the log directories of {@code /api/logs}, by name
   */
  public OpsRoutes(TitoAdmin admin, Path backupDirectory, Map<String, Path> logs) {
    this.admin = admin;
    this.backupDirectory = backupDirectory;
    this.logs = Map.copyOf(logs);
  }

  @Override
  public List<String> names() {
    return List.of("tenants", "documents", "backups", "logs");
  }

  @Override
  public Object handle(String method, List<String> p, Map<String, String> q, Body body)
      throws IOException {
    return switch (p.get(0)) {
      case "tenants" -> {
        try (TenantAdmin tenants = TenantAdmin.of(admin.tito(),
            longParam(q, "definitionVersion", 0))) {
          yield tenants(tenants, method, p, q);
        }
      }
      case "documents" -> documents(method, p, q);
      case "backups" -> backups(method, p, body);
      default -> logs(method, p, q);
    };
  }

  private Object tenants(TenantAdmin tenants, String method, List<String> p,
      Map<String, String> q) {
    if (p.size() == 1) {
      requireRead(method);
      return Views.list(tenants.list(), OpsViews::tenant);
    }
    if (p.size() == 2) {
      String name = p.get(1);
      return switch (method) {
        case "POST" -> OpsViews.tenant(tenants.ensure(name));
        case "DELETE" -> {
          tenants.drop(name, "true".equals(q.get("force")));
          yield Map.of("dropped", name);
        }
        default -> OpsViews.tenant(tenants.status(name));
      };
    }
    throw noSuch(p);
  }

  private Object documents(String method, List<String> p, Map<String, String> q) {
    requireRead(method);
    if (p.size() > 2) {
      throw noSuch(p);
    }
    String tenant = q.get("tenant");
    if (tenant == null) {
      return documents(admin, p);
    }
    try (TenantAdmin tenants = TenantAdmin.of(admin.tito(), 0)) {
      return documents(tenants.admin(tenant), p);
    }
  }

  private static Object documents(TitoAdmin on, List<String> p) {
    return p.size() == 1 ? Views.list(DocumentAdmin.collections(on), Views::model)
        : Views.model(DocumentAdmin.collection(on, p.get(1)));
  }

  private Object backups(String method, List<String> p, Body body) throws IOException {
    if (backupDirectory == null) {
      throw new NotFoundException("this server has no backup directory", Map.of());
    }
    BackupAdmin backups = BackupAdmin.in(backupDirectory, null, null);
    if (p.size() == 1 && method.equals("POST")) {
      Object kind = body.read().getOrDefault("kind", "full");
      BackupManifest.Kind k;
      try {
        k = BackupManifest.Kind.valueOf(String.valueOf(kind).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("kind must be full or incremental",
            Map.of("kind", String.valueOf(kind)));
      }
      return OpsViews.backup(backups.create(admin.tito(), k));
    }
    if (p.size() == 1) {
      requireRead(method);
      return OpsViews.backups(backups.list(), backups.incomplete(), backups.damaged());
    }
    if (p.size() == 3 && p.get(2).equals("verify")) {
      requireRead(method);
      String id = p.get(1).equals("newest") ? null : p.get(1);
      return Map.of("verified", Views.list(backups.verify(id), OpsViews::backup));
    }
    throw noSuch(p);
  }

  private Object logs(String method, List<String> p, Map<String, String> q) {
    requireRead(method);
    if (p.size() == 1) {
      Map<String, Object> all = new LinkedHashMap<>();
      new java.util.TreeMap<>(logs).forEach((name, dir) -> all.put(name,
          OpsViews.log(LogAdmin.status(dir))));
      return all;
    }
    Path dir = logs.get(p.get(1));
    if (dir == null) {
      throw new NotFoundException("log not found", Map.of("log", p.get(1)));
    }
    if (p.size() == 2) {
      return OpsViews.log(LogAdmin.status(dir));
    }
    if (p.size() == 3 && p.get(2).equals("records")) {
      return Views.list(LogAdmin.read(dir, longParam(q, "from", 0),
          (int) longParam(q, "limit", 100)), OpsViews::record);
    }
    if (p.size() == 3 && p.get(2).equals("tail")) {
      return Views.list(LogAdmin.tail(dir, (int) longParam(q, "count", 10)), OpsViews::record);
    }
    throw noSuch(p);
  }

  private static void requireRead(String method) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw Routes.methodNotAllowed("GET");
    }
  }

  private static NotFoundException noSuch(List<String> p) {
    return new NotFoundException("no such endpoint", Map.of("path", "api/" + String.join("/", p)));
  }

  private static long longParam(Map<String, String> q, String name, long dflt) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(name + " must be a number", Map.of(name, v));
    }
  }
}
