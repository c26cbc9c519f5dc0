package io.tito.internal.admin.cli;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.admin.BackupAdmin;
import io.tito.backup.BackupManifest;
import io.tito.backup.RestorePoint;
import io.tito.backup.RestoreResult;
import io.tito.internal.admin.OpsViews;
import io.tito.internal.admin.Views;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito backup create|list|verify|restore} on a backup set in a local directory. */
@Command(name = "backup", description = "Backups in a local directory: create, list, verify, restore.",
    mixinStandardHelpOptions = true)
final class BackupCommand {

  private final Session session;

  BackupCommand(Session session) {
    this.session = session;
  }

  /** Where the backups are. */
  static final class Where {
    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "The backup directory (must exist).")
    Path dir;

    @Option(names = "--set", paramLabel = "NAME",
        description = "The backup set (default: " + BackupAdmin.DEFAULT_SET + ").")
    String set;
  }

  private BackupAdmin backups(Where where, BackupProgressBar bar) {
    return BackupAdmin.in(where.dir, where.set, bar);
  }

  private BackupProgressBar bar() {
    return session.json() ? null : new BackupProgressBar(session.err());
  }

  @Command(name = "create", description = "Backs up the store (--url): full, or --incremental.")
  int create(@Mixin Common common, @Mixin Where where,
      @Option(names = "--incremental",
          description = "Only the commits since the set's newest backup (needs a change feed).")
      boolean incremental) {
    BackupProgressBar bar = bar();
    BackupManifest m;
    try {
      m = backups(where, bar).create(session.admin().tito(),
          incremental ? BackupManifest.Kind.INCREMENTAL : BackupManifest.Kind.FULL);
    } finally {
      finish(bar);
    }
    if (session.json()) {
      session.printJson(OpsViews.backup(m));
    } else {
      session.out().printf("%s backup %s: %d entries, %d chunks, version %d%n",
          m.kind().name().toLowerCase(java.util.Locale.ROOT), m.id(), m.entries(),
          m.chunks().size(), m.toVersion());
      session.out().flush();
    }
    return 0;
  }

  @Command(name = "list", description = "The set's backups, oldest first, and any incomplete "
      + "or damaged ones.")
  int list(@Mixin Common common, @Mixin Where where) {
    BackupAdmin b = backups(where, null);
    List<BackupManifest> all = b.list();
    List<String> incomplete = b.incomplete();
    Map<String, String> damaged = b.damaged();
    if (session.json()) {
      session.printJson(OpsViews.backups(all, incomplete, damaged));
      return 0;
    }
    Table t = new Table("ID", "KIND", "PARENT", "VERSION", "TIME", "ENTRIES", "CHUNKS", "BYTES");
    for (BackupManifest m : all) {
      Map<String, Object> v = OpsViews.backup(m);
      t.row(m.id(), m.kind(), m.parent(), m.toVersion(), v.get("toTime"), m.entries(),
          m.chunks().size(), m.storedBytes());
    }
    t.print(session.out());
    incomplete.forEach(id -> session.out().println("incomplete: " + id));
    damaged.forEach((id, why) -> session.out().println("damaged: " + id + ": " + why));
    session.out().flush();
    return 0;
  }

  @Command(name = "verify", description = "Reads and checks a backup and its chain (default: "
      + "the newest).")
  int verify(@Mixin Common common, @Mixin Where where,
      @Parameters(paramLabel = "ID", arity = "0..1") String id) {
    BackupProgressBar bar = bar();
    List<BackupManifest> chain;
    try {
      chain = backups(where, bar).verify(id);
    } finally {
      finish(bar);
    }
    if (session.json()) {
      session.printJson(Map.of("verified", Views.list(chain, OpsViews::backup)));
    } else {
      session.out().printf("verified %s: chain of %d backup(s), %s%n",
          chain.get(chain.size() - 1).id(), chain.size(),
          String.join(" <- ", chain.stream().map(BackupManifest::id).toList()));
      session.out().flush();
    }
    return 0;
  }

  @Command(name = "restore", description = "Restores the set into an empty store (--to), at the "
      + "latest state, a version or a time; every chunk is checked before the first write.")
  int restore(@Mixin Common common, @Mixin Where where,
      @Option(names = "--to", required = true, paramLabel = "URL",
          description = "The empty target store's URL.") String to,
      @Option(names = "--version", paramLabel = "V",
          description = "The state right after commit V (source numbering).") Long version,
      @Option(names = "--time", paramLabel = "TIME",
          description = "Every commit at or before TIME (ISO-8601).") Instant time) {
    if (version != null && time != null) {
      throw new InvalidArgumentException("give --version or --time, not both", Map.of());
    }
    RestorePoint point = version != null ? RestorePoint.atVersion(version)
        : time != null ? RestorePoint.atTime(time) : RestorePoint.latest();
    BackupProgressBar bar = bar();
    BackupAdmin backups = backups(where, bar);
    RestoreResult r;
    try (Tito target = Tito.builder().url(to).build()) {
      r = backups.restore(point, target);
    } finally {
      finish(bar);
    }
    if (session.json()) {
      session.printJson(OpsViews.restore(r));
    } else {
      session.out().printf("restored version %d: %d entries, %d commits, from %s%n", r.version(),
          r.entries(), r.commits(), String.join(" <- ", r.chain()));
      session.out().flush();
    }
    return 0;
  }

  private static void finish(BackupProgressBar bar) {
    if (bar != null) {
      bar.finish();
    }
  }
}
