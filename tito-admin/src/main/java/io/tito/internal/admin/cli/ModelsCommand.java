package io.tito.internal.admin.cli;

import io.tito.admin.ModelInfo;
import io.tito.data.IndexBuildProgress;
import io.tito.internal.admin.Views;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito models list|indexes|build|drop}. */
@Command(name = "models", description = "Models and their indexes: list, indexes, build, drop.",
    mixinStandardHelpOptions = true)
final class ModelsCommand {

  private final Session session;

  ModelsCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "Tables with their index count and build state.")
  int list(@Mixin Common common) {
    List<ModelInfo> models = session.admin().models();
    if (session.json()) {
      session.printJson(Views.list(models, Views::model));
      return 0;
    }
    Table t = new Table("TABLE", "INDEXES", "NOT-READABLE", "REGISTERED-HERE");
    for (ModelInfo m : models) {
      long building = m.indexes().values().stream()
          .filter(s -> s != io.tito.data.IndexState.READABLE).count();
      t.row(m.table(), m.indexes().size(), building, m.registered());
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "indexes", description = "A table's indexes and their states.")
  int indexes(@Mixin Common common, @Parameters(paramLabel = "TABLE") String table) {
    ModelInfo m = session.admin().model(table);
    if (session.json()) {
      session.printJson(Views.model(m));
      return 0;
    }
    Table t = new Table("INDEX", "STATE");
    m.indexes().forEach((k, v) -> t.row(k, v));
    t.print(session.out());
    return 0;
  }

  @Command(name = "build", description = "Builds an index online, with a progress bar.")
  int build(@Mixin Common common, @Parameters(paramLabel = "TABLE") String table,
      @Parameters(paramLabel = "INDEX") String index,
      @Option(names = "--batch", defaultValue = "500", description = "Records per transaction (default 500).")
      int batch,
      @Option(names = "--models", paramLabel = "CLASS", description = "By URL: a class "
          + "implementing io.tito.admin.ModelDefinitions that gives the application's models.")
      String models,
      @Option(names = "--classpath", paramLabel = "PATHS", description = "Jars or directories "
          + "holding the --models class (separated by the path separator).")
      String classpath) {
    if (models != null) {
      session.models(models, classpath);
    } else if (classpath != null) {
      throw new io.tito.InvalidArgumentException("--classpath needs --models", Map.of());
    }
    ProgressBar bar = session.json() ? null : new ProgressBar(session.err(), table + "/" + index);
    IndexBuildProgress done = session.admin().buildIndex(table, index, batch,
        bar == null ? null : bar::update);
    if (bar != null) {
      bar.finish(done);
    }
    if (session.json()) {
      session.printJson(Views.build(done));
    } else {
      session.out().printf("index %s/%s is %s (%d records, %d batches)%n", table, index,
          done.state(), done.recordsScanned(), done.batches());
      session.out().flush();
    }
    return 0;
  }

  @Command(name = "drop", description = "Drops an index no model defines any more.")
  int drop(@Mixin Common common, @Parameters(paramLabel = "TABLE") String table,
      @Parameters(paramLabel = "INDEX") String index) {
    session.admin().dropIndex(table, index);
    if (session.json()) {
      session.printJson(Map.of("dropped", table + "/" + index));
    } else {
      session.out().printf("dropped index %s/%s%n", table, index);
      session.out().flush();
    }
    return 0;
  }
}
