package io.tito.internal.admin;

import io.tito.backup.BackupManifest;
import io.tito.backup.RestoreResult;
import io.tito.docs.TenantInfo;
import io.tito.log.LogRecord;
import io.tito.log.LogStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of tenants, backups and logs, shared by the CLI's {@code --json} and the HTTP
 * API (same conventions as {@link Views}).
 */
public final class OpsViews {

  private OpsViews() {}

  public static Map<String, Object> tenant(TenantInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("createdAt", t.createdAt().toString());
    m.put("definitionVersion", t.definitionVersion());
    m.put("lagging", t.lagging());
    return m;
  }

  public static Map<String, Object> backup(BackupManifest b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", b.id());
    m.put("set", b.set());
    m.put("kind", b.kind().name());
    m.put("parent", b.parent());
    m.put("engine", b.engine());
    m.put("fromVersion", b.fromVersion());
    m.put("toVersion", b.toVersion());
    m.put("toTime", b.toTimeMillis() <= 0 ? null : Instant.ofEpochMilli(b.toTimeMillis()).toString());
    m.put("entries", b.entries());
    m.put("chunks", b.chunks().size());
    m.put("rawBytes", b.rawBytes());
    m.put("storedBytes", b.storedBytes());
    m.put("startedAt", String.valueOf(b.startedAt()));
    m.put("finishedAt", String.valueOf(b.finishedAt()));
    return m;
  }

  public static Map<String, Object> backups(List<BackupManifest> complete, List<String> incomplete,
      Map<String, String> damaged) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backups", Views.list(complete, OpsViews::backup));
    m.put("incomplete", incomplete);
    m.put("damaged", damaged);
    return m;
  }

  public static Map<String, Object> restore(RestoreResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", r.version());
    m.put("time", r.timeMillis() <= 0 ? null : Instant.ofEpochMilli(r.timeMillis()).toString());
    m.put("entries", r.entries());
    m.put("commits", r.commits());
    m.put("chain", r.chain());
    return m;
  }

  public static Map<String, Object> log(LogStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("directory", s.directory().toString());
    m.put("oldestOffset", s.oldestOffset());
    m.put("endOffset", s.endOffset());
    m.put("records", s.records());
    m.put("bytes", s.bytes());
    m.put("segments", Views.list(s.segments(), g -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("baseOffset", g.baseOffset());
      x.put("file", g.file());
      x.put("bytes", g.bytes());
      x.put("active", g.active());
      return x;
    }));
    m.put("consumers", Views.list(s.consumers(), c -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", c.id());
      x.put("checkpoint", c.checkpoint());
      x.put("lag", c.lag());
      return x;
    }));
    return m;
  }

  public static Map<String, Object> record(LogRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offset", r.offset());
    m.put("bytes", r.payload().length);
    String text = Views.utf8(r.payload());
    if (text != null) {
      m.put("payload", text);
    } else {
      m.put("payloadBase64", java.util.Base64.getEncoder().encodeToString(r.payload()));
    }
    return m;
  }
}
