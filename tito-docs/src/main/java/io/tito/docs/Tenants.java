package io.tito.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.internal.docs.IndexDefinitions;
import io.tito.internal.docs.TenantArchive;
import io.tito.internal.docs.TenantEngine;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Tenants: isolated keyspaces in one store. A tenant is a {@link Tito} store opened with the
 * modules the {@code modules} function gives (document store, event store, data store...) on its
 * own view of the shared engine, so its documents, records, indexes, streams, topics and
 * checkpoints exist only there and no API of one tenant can read or write another's. The view is
 * a key prefix {@code ("tito-tenant", name)} ({@link TenantLayout#KEY_PREFIX}, every engine) or a
 * keyspace of its own ({@link TenantLayout#KEYSPACE}: a table set per tenant on PostgreSQL and
 * MariaDB, for engines declaring {@link Capability#KEYSPACES}). A catalogue in the shared store
 * ({@code root.root() + ("tenants", name)}) lists the tenants with their layout, state,
 * definition version and index definitions.
 *
 * <ul>
 *   <li>{@link #ensure}: idempotent; safe when several processes do it at once (one catalogue key,
 *       written in a transaction: the loser of a race conflicts, is retried and finds it).
 *   <li>{@link #open}: the tenant's store (one per tenant and process, cached);
 *       {@link TenantNotFoundException} for a tenant never ensured, or not {@link
 *       TenantState#ACTIVE}.
 *   <li>{@link #list}, {@link #status}, {@link #lagging}, {@link #drift} (schema drift per index).
 *   <li>{@link #archive}: every key of the tenant to a file, read in one read-only transaction;
 *       {@link #restore} brings an archive back as a tenant.
 *   <li>{@link #drop}: only with {@code force}.
 * </ul>
 *
 * <p>Close the tenants (closes the tenant stores it opened) before the shared store. Thread-safe.
 */
public final class Tenants implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final Tito root;
  private final Function<String, List<TitoModule<?>>> modules;
  private final long definitionVersion;
  private final TenantLayout layout;
  private final Subspace catalog;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Tito> open = new ConcurrentHashMap<>();

  private Tenants(Tito root, Function<String, List<TitoModule<?>>> modules,
      long definitionVersion, TenantLayout layout) {
    this.root = root;
    this.modules = modules;
    this.definitionVersion = definitionVersion;
    this.layout = layout;
    this.catalog = root.root().subspace("tenants");
  }

  /**
   * Tenants of {@code root}'s engine under key prefixes ({@link TenantLayout#KEY_PREFIX}), each
   * opened with {@code modules.apply(name)} (fresh module builders per tenant), at definition
   * version {@code definitionVersion} (raise it when index or model definitions change).
   */
  public static Tenants of(Tito root, Function<String, List<TitoModule<?>>> modules,
      long definitionVersion) {
    return of(root, modules, definitionVersion, TenantLayout.KEY_PREFIX);
  }

  /**
   * Tenants created with {@code layout} from now on (a tenant keeps the layout it was created
   * with, recorded in the catalogue).
   *
   * @throws InvalidArgumentException for a null argument, a negative version, or
   *     {@link TenantLayout#KEYSPACE} on an engine without {@link Capability#KEYSPACES}
   */
  public static Tenants of(Tito root, Function<String, List<TitoModule<?>>> modules,
      long definitionVersion, TenantLayout layout) {
    if (root == null || modules == null || definitionVersion < 0 || layout == null) {
      throw new InvalidArgumentException("tenants need a store, a module function, a "
          + "non-negative definition version and a layout", Map.of());
    }
    if (layout == TenantLayout.KEYSPACE
        && !root.engine().capabilities().contains(Capability.KEYSPACES)) {
      throw new InvalidArgumentException("the engine has no separate keyspaces for tenants",
          Map.of("engine", root.engine().name(), "capability", Capability.KEYSPACES));
    }
    return new Tenants(root, modules, definitionVersion, layout);
  }

  /** The definition version of this code. */
  public long definitionVersion() {
    return definitionVersion;
  }

  /** The layout new tenants get. */
  public TenantLayout layout() {
    return layout;
  }

  /**
   * Creates tenant {@code name} if absent (idempotent); returns its catalogue entry. A tenant
   * whose drop was interrupted ({@link TenantState#DROPPING}) is dropped first, then created anew.
   */
  public TenantInfo ensure(String name) {
    byte[] key = catalog.pack(requireName(name));
    TenantInfo have = root.read(tx -> entry(tx.get(key), name));
    if (have != null && have.state() == TenantState.DROPPING) {
      drop(name, true);
    } else if (have != null) {
      return have;
    }
    // A new tenant's indexes are created (readable, nothing to build) when it is first opened.
    ObjectNode indexes = json.createObjectNode();
    IndexDefinitions.declared(modules.apply(name)).forEach(indexes::put);
    return root.transaction(tx -> {
      TenantInfo now = entry(tx.get(key), name);
      if (now != null) {
        return now;
      }
      ObjectNode n = json.createObjectNode();
      n.put("createdAt", root.clock().instant().toString());
      n.put("definitionVersion", definitionVersion);
      n.put("layout", layout.name());
      if (layout == TenantLayout.KEYSPACE) {
        n.put("keyspace", keyspaceOf(name));
      }
      n.set("indexes", indexes);
      tx.set(key, bytes(n));
      return info(name, n);
    });
  }

  /**
   * The store of tenant {@code name}, opened with its modules on first use and cached; records
   * this code's definition version and index definitions for the tenant.
   *
   * @throws TenantNotFoundException if it was never ensured, was dropped, or is not
   *     {@link TenantState#ACTIVE}
   */
  public Tito open(String name) {
    TenantInfo info = status(name);
    if (info.state() != TenantState.ACTIVE) {
      throw new TenantNotFoundException(name);
    }
    Tito t = open.computeIfAbsent(name, n -> {
      Tito.Builder b = Tito.builder().engine(view(info)).clock(root.clock())
          .retryPolicy(root.retryPolicy());
      for (TitoModule<?> m : modules.apply(n)) {
        b.with(m);
      }
      Tito opened = b.build();
      record(name, IndexDefinitions.of(opened));
      return opened;
    });
    if (info.definitionVersion() < definitionVersion) {
      record(name, IndexDefinitions.of(t));
    }
    return t;
  }

  /** The document store of tenant {@code name} (it must be among its modules). */
  public DocumentStore documents(String name) {
    return open(name).module(DocumentStore.class);
  }

  /**
   * A session on tenant {@code name}'s document store (store-level session headers apply).
   *
   * @throws TenantNotFoundException if it was never ensured or was dropped
   */
  public DocumentSession openSession(String name) {
    return documents(name).openSession();
  }

  /** The catalogue entry of {@code name}. @throws TenantNotFoundException if absent */
  public TenantInfo status(String name) {
    byte[] key = catalog.pack(requireName(name));
    TenantInfo info = root.read(tx -> entry(tx.get(key), name));
    if (info == null) {
      throw new TenantNotFoundException(name);
    }
    return info;
  }

  /** Every tenant, by name (in any state). */
  public List<TenantInfo> list() {
    return root.read(tx -> {
      List<TenantInfo> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(catalog.range())) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          out.add(entry(kv.value(), catalog.unpack(kv.key()).getString(0)));
        }
      }
      return out;
    });
  }

  /**
   * The health check of schema drift: tenants whose recorded definition version lags this
   * code's, or whose recorded index definitions differ from this code's ({@link #drift}).
   */
  public List<TenantInfo> lagging() {
    return list().stream().filter(t -> t.lagging()
        || drift(t.name()).stream().anyMatch(IndexDrift::drifted)).toList();
  }

  /**
   * Index by index, how tenant {@code name}'s recorded definitions (from the code that last opened
   * it) compare with the definitions this code's modules declare for it, sorted by table and
   * index. Reads the catalogue only: the tenant is not opened, so nothing is registered.
   *
   * @throws TenantNotFoundException if absent
   */
  public List<IndexDrift> drift(String name) {
    status(name);
    byte[] key = catalog.pack(name);
    JsonNode recorded = root.read(tx -> read(tx.get(key))).path("indexes");
    Map<String, String> declared = IndexDefinitions.declared(modules.apply(name));
    TreeSet<String> all = new TreeSet<>(declared.keySet());
    recorded.fieldNames().forEachRemaining(all::add);
    List<IndexDrift> out = new ArrayList<>();
    for (String k : all) {
      int slash = k.lastIndexOf('/');
      String want = declared.get(k);
      String have = recorded.path(k).isTextual() ? recorded.path(k).asText() : null;
      IndexDrift.Status s = want == null ? IndexDrift.Status.REMOVED
          : have == null ? IndexDrift.Status.ADDED
          : want.equals(have) ? IndexDrift.Status.CURRENT : IndexDrift.Status.CHANGED;
      out.add(new IndexDrift(k.substring(0, slash), k.substring(slash + 1), s));
    }
    return out;
  }

  /**
   * Writes every key and value of tenant {@code name} to {@code file} (replaced), read in one
   * read-only transaction: a consistent copy, with its catalogue entry. Returns the number of
   * entries. The tenant stays as it is; {@link #restore} brings the file back.
   *
   * @throws TenantNotFoundException if absent or not {@link TenantState#ACTIVE}
   */
  public long archive(String name, Path file) {
    TenantInfo info = status(name);
    if (info.state() != TenantState.ACTIVE) {
      throw new TenantNotFoundException(name);
    }
    String entry = root.read(tx -> new String(tx.get(catalog.pack(name)), StandardCharsets.UTF_8));
    return withView(info, v -> TenantArchive.write(v, file, name, entry));
  }

  /** {@link #restore(Path, String)} under the name recorded in the archive. */
  public TenantInfo restore(Path file) {
    return restore(file, TenantArchive.header(file).name());
  }

  /**
   * Restores an archive ({@link #archive}) as tenant {@code name}, in this object's layout, with
   * the archived definition version and index definitions. The tenant is first recorded as
   * {@link TenantState#RESTORING} (unusable), its keys are written in transactions of about a
   * mebibyte, and it becomes {@link TenantState#ACTIVE} only when every key is in: a restore that
   * fails part-way (a corrupt or truncated file, a lost connection) leaves a tenant nobody can
   * open, which a new restore replaces or {@link #drop} removes. Stamped keys keep their archived
   * stamps (see the module README for the event store's order across a restore).
   *
   * @throws AlreadyExistsException if a tenant {@code name} exists and is not being restored
   * @throws InvalidArgumentException if the file is not a tenant archive, or is incomplete
   */
  public TenantInfo restore(Path file, String name) {
    requireName(name);
    TenantArchive.Header header = TenantArchive.header(file);
    byte[] key = catalog.pack(name);
    TenantInfo info = root.transaction(tx -> {
      TenantInfo have = entry(tx.get(key), name);
      if (have != null && have.state() != TenantState.RESTORING) {
        throw new AlreadyExistsException("tenant already exists; drop it before restoring",
            Map.of("tenant", name, "state", have.state()));
      }
      ObjectNode n = header.entry() == null ? json.createObjectNode()
          : (ObjectNode) read(header.entry().getBytes(StandardCharsets.UTF_8));
      if (!n.has("createdAt")) {
        n.put("createdAt", root.clock().instant().toString());
      }
      if (have != null) {
        n.put("layout", have.layout().name()); // finish where the failed restore started
      } else {
        n.put("layout", layout.name());
      }
      n.remove("keyspace");
      if (TenantLayout.valueOf(n.get("layout").asText()) == TenantLayout.KEYSPACE) {
        n.put("keyspace", keyspaceOf(name));
      }
      n.put("state", TenantState.RESTORING.name());
      tx.set(key, bytes(n));
      return info(name, n);
    });
    withView(info, v -> {
      EngineTransaction tx = v.begin(false);
      try {
        tx.clearRange(KeyRange.ALL.begin(), KeyRange.ALL.end());
        tx.commit();
      } finally {
        tx.close();
      }
      return TenantArchive.restore(file, v);
    });
    return root.transaction(tx -> {
      ObjectNode n = (ObjectNode) read(tx.get(key));
      n.remove("state");
      tx.set(key, bytes(n));
      return info(name, n);
    });
  }

  /**
   * Deletes tenant {@code name} after closing its store in this process: marks it
   * {@link TenantState#DROPPING}, deletes its keys (a cleared prefix, or its keyspace dropped) and
   * then its catalogue entry. Refused without {@code force}. A drop that fails part-way leaves the
   * tenant {@code DROPPING}; dropping (or ensuring) it again finishes.
   *
   * @throws InvalidArgumentException without force
   * @throws TenantNotFoundException if absent
   */
  public void drop(String name, boolean force) {
    if (!force) {
      throw new InvalidArgumentException("dropping a tenant deletes all its data; pass force",
          Map.of("tenant", String.valueOf(name)));
    }
    TenantInfo info = status(name);
    Tito t = open.remove(name);
    if (t != null) {
      t.close();
    }
    byte[] key = catalog.pack(name);
    if (info.layout() == TenantLayout.KEY_PREFIX) {
      root.inTransaction(tx -> {
        tx.clearRange(KeyRange.startsWith(prefix(name)));
        tx.clear(key);
      });
      return;
    }
    root.inTransaction(tx -> {
      ObjectNode n = (ObjectNode) read(tx.get(key));
      n.put("state", TenantState.DROPPING.name());
      tx.set(key, bytes(n));
    });
    root.engine().dropKeyspace(info.keyspace());
    root.inTransaction(tx -> tx.clear(key));
  }

  /** Closes the tenant stores this object opened (not the shared store). */
  @Override
  public void close() {
    for (String n : List.copyOf(open.keySet())) {
      Tito t = open.remove(n);
      if (t != null) {
        t.close();
      }
    }
  }

  /** A new engine view of a tenant (closing it never closes the shared engine). */
  private Engine view(TenantInfo info) {
    return info.layout() == TenantLayout.KEY_PREFIX
        ? new TenantEngine(root.engine(), prefix(info.name()))
        : root.engine().keyspace(info.keyspace());
  }

  /** Runs {@code body} on the open tenant's engine, or on a view closed afterwards. */
  private <R> R withView(TenantInfo info, Function<Engine, R> body) {
    Tito t = open.get(info.name());
    if (t != null) {
      return body.apply(t.engine());
    }
    Engine v = view(info);
    try {
      return body.apply(v);
    } finally {
      v.close();
    }
  }

  /** Records this code's definition version and index definitions for {@code name}. */
  private void record(String name, Map<String, String> indexes) {
    byte[] key = catalog.pack(name);
    root.inTransaction(tx -> {
      byte[] have = tx.get(key);
      if (have == null) {
        throw new TenantNotFoundException(name);
      }
      ObjectNode n = (ObjectNode) read(have);
      boolean changed = false;
      if (n.path("definitionVersion").asLong() < definitionVersion) {
        n.put("definitionVersion", definitionVersion);
        changed = true;
      }
      ObjectNode ix = json.createObjectNode();
      new TreeMap<>(indexes).forEach(ix::put);
      if (!ix.equals(n.get("indexes"))) {
        n.set("indexes", ix);
        changed = true;
      }
      if (changed) {
        tx.set(key, bytes(n));
      }
    });
  }

  private TenantInfo entry(byte[] bytes, String name) {
    return bytes == null ? null : info(name, read(bytes));
  }

  private TenantInfo info(String name, JsonNode n) {
    long v = n.path("definitionVersion").asLong();
    TenantLayout l = TenantLayout.valueOf(n.path("layout").asText(TenantLayout.KEY_PREFIX.name()));
    TenantState s = TenantState.valueOf(n.path("state").asText(TenantState.ACTIVE.name()));
    return new TenantInfo(name, Instant.parse(n.path("createdAt").asText()), v,
        v < definitionVersion, l, n.path("keyspace").isTextual() ? n.get("keyspace").asText() : null,
        s);
  }

  private JsonNode read(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("tenant catalogue entry is not JSON", e);
    }
  }

  private static byte[] bytes(JsonNode n) {
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] prefix(String name) {
    return Tuple.of("tito-tenant", name).pack();
  }

  /**
   * The keyspace of a tenant: {@code t} and 16 hex digits of a SHA-256 of its name (names may hold
   * upper case, dots and dashes, which keyspace names may not; the hash keeps them apart).
   */
  static String keyspaceOf(String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return "t" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("a tenant name is 1-63 letters, digits, '.', '_' or "
          + "'-', starting with a letter or digit", Map.of("tenant", String.valueOf(name)));
    }
    return name;
  }
}
