package io.tito.internal.admin.cli;

import io.tito.admin.LogAdmin;
import io.tito.internal.admin.OpsViews;
import io.tito.internal.admin.Views;
import io.tito.log.LogRecord;
import io.tito.log.LogStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tito log status|read|tail DIR}: a tito-log directory (no store, no --url), read without
 * locking anything.
 */
@Command(name = "log", description = "A tito-log directory: status, read, tail.",
    mixinStandardHelpOptions = true)
final class LogCommand {

  private final Session session;

  LogCommand(Session session) {
    this.session = session;
  }

  /** Only --json: a log needs no store. */
  static final class Json {
    private final Session session;

    Json(Session session) {
      this.session = session;
    }

    @Option(names = "--json", description = "Print JSON instead of tables.")
    void json(boolean value) {
      if (value) {
        session.json(true);
      }
    }
  }

  @Command(name = "status", description = "Segments, offsets, and each exactly-once consumer's "
      + "checkpoint and lag.")
  int status(@picocli.CommandLine.Mixin Json json, @Parameters(paramLabel = "DIR") Path dir) {
    LogStatus s = LogAdmin.status(dir);
    if (session.json()) {
      session.printJson(OpsViews.log(s));
      return 0;
    }
    session.out().printf("log %s: offsets %d to %d (%d records), %d segments, %d bytes%n",
        s.directory(), s.oldestOffset(), s.endOffset(), s.records(), s.segments().size(),
        s.bytes());
    Table segments = new Table("SEGMENT", "BASE-OFFSET", "BYTES", "ACTIVE");
    s.segments().forEach(g -> segments.row(g.file(), g.baseOffset(), g.bytes(), g.active()));
    segments.print(session.out());
    Table consumers = new Table("CONSUMER", "CHECKPOINT", "LAG");
    s.consumers().forEach(c -> consumers.row(c.id(), c.checkpoint(), c.lag()));
    consumers.print(session.out());
    return 0;
  }

  @Command(name = "read", description = "Records from an offset.")
  int read(@picocli.CommandLine.Mixin Json json, @Parameters(paramLabel = "DIR") Path dir,
      @Option(names = "--from", defaultValue = "0", paramLabel = "OFFSET",
          description = "First offset (default 0: the oldest retained).") long from,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
      int limit) {
    return print(LogAdmin.read(dir, from, limit));
  }

  @Command(name = "tail", description = "The last records.")
  int tail(@picocli.CommandLine.Mixin Json json, @Parameters(paramLabel = "DIR") Path dir,
      @Option(names = {"-n", "--count"}, defaultValue = "10", description = "How many (default 10).")
      int count) {
    return print(LogAdmin.tail(dir, count));
  }

  private int print(List<LogRecord> records) {
    if (session.json()) {
      session.printJson(Views.list(records, OpsViews::record));
      return 0;
    }
    Table t = new Table("OFFSET", "BYTES", "PAYLOAD");
    for (LogRecord r : records) {
      Map<String, Object> v = OpsViews.record(r);
      Object text = v.containsKey("payload") ? v.get("payload") : "base64:" + v.get("payloadBase64");
      t.row(r.offset(), r.payload().length, text);
    }
    t.print(session.out());
    return 0;
  }
}
