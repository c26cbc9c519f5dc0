package io.tito.internal.admin.cli;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.admin.TitoAdmin;
import io.tito.data.DataStore;
import io.tito.events.EventStore;
import io.tito.internal.admin.Views;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What every command of one CLI run shares: the output streams, the {@code --json} flag, and the
 * store, opened on first use from {@code --url} (or given by an embedding application) and closed
 * at the end of the run if this session opened it. Not thread-safe: one run, one thread.
 */
public final class Session implements AutoCloseable {

  private final PrintWriter out;
  private final PrintWriter err;
  private final Tito given;
  private String url;
  private boolean json;
  private Tito opened;
  private TitoAdmin admin;
  private String modelsClass;
  private String modelsClasspath;

  public Session(Tito given, PrintWriter out, PrintWriter err) {
    this.given = given;
    this.out = out;
    this.err = err;
  }

  /** A session over an embedding application's operations (with its registered handlers). */
  public Session(TitoAdmin given, PrintWriter out, PrintWriter err) {
    this(given.tito(), out, err);
    this.admin = given;
  }

  void url(String value) {
    url = value;
  }

  void json(boolean value) {
    json = value;
  }

  boolean json() {
    return json;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /**
   * The application's model definitions to open the store with (see {@code ModelDefinitions});
   * only for a store opened by URL, before its first use.
   */
  void models(String className, String classpath) {
    if (given != null) {
      throw new InvalidArgumentException("--models applies to a store opened by --url; this "
          + "store already has its application's models", Map.of());
    }
    if (admin != null) {
      throw new IllegalStateException("the store is already open");
    }
    modelsClass = className;
    modelsClasspath = classpath;
  }

  /** The operations, opening the store on first use. */
  TitoAdmin admin() {
    if (admin == null) {
      Tito t = given;
      if (t == null) {
        if (url == null) {
          url = System.getenv("TITO_URL");
        }
        if (url == null || url.isBlank()) {
          throw new InvalidArgumentException("no store: give --url or set TITO_URL", Map.of());
        }
        // Without --models, an empty data store: models are read from the store's metadata.
        // With it, the application's models, registering no new index (building does).
        DataStore.Builder models = modelsClass == null ? DataStore.models()
            : DataStore.models(ModelLoader.load(modelsClass, modelsClasspath)
                .toArray(io.tito.data.Model<?>[]::new)).registerNewIndexes(false);
        opened = Tito.builder().url(url).with(models).with(EventStore.builder()).build();
        t = opened;
      }
      admin = TitoAdmin.of(t);
    }
    return admin;
  }

  /** Prints {@code value} as JSON. */
  void printJson(Object value) {
    out.println(Views.json(value));
    out.flush();
  }

  @Override
  public void close() {
    if (opened != null) {
      opened.close();
      opened = null;
    }
  }
}
