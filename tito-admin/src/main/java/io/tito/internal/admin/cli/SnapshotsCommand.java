package io.tito.internal.admin.cli;

import io.tito.internal.admin.Views;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tito snapshots compact}: takes the due snapshots of aggregates. It needs the aggregates'
 * repositories (their folds), so it works only where the application registered them (its admin
 * server, or {@code TitoCli.executeWith} with its {@code TitoAdmin}); by URL it exits 2 saying so.
 */
@Command(name = "snapshots", description = "Aggregate snapshots: compact (take the due ones).",
    mixinStandardHelpOptions = true)
final class SnapshotsCommand {

  private final Session session;

  SnapshotsCommand(Session session) {
    this.session = session;
  }

  @Command(name = "compact", description = "Snapshots every queued stream whose tail reached the threshold, with a progress line (needs the repositories registered here).")
  int compact(@Mixin Common common,
      @Option(names = "--aggregate", paramLabel = "NAME", description = "Only this aggregate (default: every registered one).")
      String aggregate,
      @Option(names = "--threshold", defaultValue = "1",
          description = "Snapshot streams with at least this many events after their latest snapshot (default 1).")
      long threshold) {
    var err = session.err();
    Map<String, Long> done = session.admin().events().compactSnapshots(aggregate, threshold,
        session.json() ? null : n -> {
          err.print("\rcompacting snapshots: " + n + " streams processed");
          err.flush();
        });
    if (session.json()) {
      session.printJson(Views.list(done.entrySet().stream().toList(),
          e -> Map.of("aggregate", e.getKey(), "streams", e.getValue())));
      return 0;
    }
    err.println();
    err.flush();
    Table t = new Table("AGGREGATE", "STREAMS-PROCESSED");
    done.forEach(t::row);
    t.print(session.out());
    return 0;
  }
}
