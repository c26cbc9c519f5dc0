package io.tito.internal.admin.cli;

import io.tito.Stamp;
import io.tito.events.AllSlice;
import io.tito.events.EventStore;
import io.tito.events.RecordedEvent;
import io.tito.events.StreamSlice;
import io.tito.internal.admin.EventViews;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito streams resolve|read|all}: the event store's streams, aliases and {@code $all}. */
@Command(name = "streams", description = "Event store streams: resolve an alias, read a stream, read $all.",
    mixinStandardHelpOptions = true)
final class StreamsCommand {

  /** Longest payload shown in a table cell (JSON output has it whole). */
  private static final int DATA_WIDTH = 60;

  private final Session session;

  StreamsCommand(Session session) {
    this.session = session;
  }

  @Command(name = "resolve", description = "The stream id of an alias (never creates it).")
  int resolve(@Mixin Common common, @Parameters(paramLabel = "ALIAS") String alias) {
    String id = session.admin().events().resolveAlias(alias);
    if (session.json()) {
      session.printJson(Map.of("alias", alias, "streamId", id));
    } else {
      session.out().println(id);
      session.out().flush();
    }
    return 0;
  }

  @Command(name = "read", description = "A page of one stream, forward or backward.")
  int read(@Mixin Common common, @Parameters(paramLabel = "STREAM") String stream,
      @Option(names = "--from", paramLabel = "VERSION",
          description = "First version read (default: 1, or the last event with --backward).")
      Long from,
      @Option(names = "--backward", description = "Newest first.") boolean backward,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
      int limit,
      @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type (repeatable).")
      List<String> types) {
    long start = from != null ? from : backward ? EventStore.END : 1;
    StreamSlice s = session.admin().events().readStream(stream, start, backward, limit,
        types == null ? Set.of() : Set.copyOf(types));
    if (session.json()) {
      session.printJson(EventViews.stream(s));
      return 0;
    }
    session.out().printf("stream %s: version %d%n", s.streamId(), s.streamVersion());
    Table t = new Table("VERSION", "TYPE", "EVENT-ID", "CREATED-AT", "DATA");
    for (RecordedEvent e : s.events()) {
      t.row(e.version(), e.type(), e.eventId(), e.createdAt(), shorten(e.json()));
    }
    t.print(session.out());
    if (!s.isEnd()) {
      session.out().printf("more: --from %d%s%n", s.nextVersion(), backward ? " --backward" : "");
    }
    session.out().flush();
    return 0;
  }

  @Command(name = "all", description = "A page of $all, every stream in commit order.")
  int all(@Mixin Common common,
      @Option(names = "--from-position", paramLabel = "POSITION", converter = EventArgs.Position.class,
          description = "Read after this position, as printed (default: the beginning).")
      Stamp after,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
      int limit,
      @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type (repeatable).")
      List<String> types,
      @Option(names = "--stream-prefix", paramLabel = "PREFIX", description = "Only streams starting with it.")
      String prefix) {
    AllSlice s = session.admin().events().readAll(after == null ? Stamp.ZERO : after, limit,
        types == null ? Set.of() : Set.copyOf(types), prefix);
    if (session.json()) {
      session.printJson(EventViews.all(s));
      return 0;
    }
    Table t = new Table("POSITION", "STREAM", "VERSION", "TYPE", "CREATED-AT", "DATA");
    for (RecordedEvent e : s.events()) {
      t.row(e.position(), e.streamId(), e.version(), e.type(), e.createdAt(), shorten(e.json()));
    }
    t.print(session.out());
    if (!s.isEnd()) {
      session.out().printf("more: --from-position %s%n", s.lastPosition());
    }
    session.out().flush();
    return 0;
  }

  private static String shorten(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= DATA_WIDTH ? oneLine : oneLine.substring(0, DATA_WIDTH - 3) + "...";
  }
}
