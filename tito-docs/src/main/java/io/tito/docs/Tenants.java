package io.tito.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.internal.docs.TenantEngine;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Tenants: isolated keyspaces in one store. A tenant is a {@link Tito} store whose engine is a
 * key-prefixed view of the shared engine (prefix {@code ("tito-tenant", name)}), opened with the
 * modules the {@code modules} function gives (document store, event store, data store...), so
 * its documents, records, indexes, streams, topics and checkpoints exist only under its prefix
 * and no API of one tenant can read or write another's. A catalogue in the shared store
 * ({@code root.root() + ("tenants", name)}) lists the tenants.
 *
 * <ul>
 *   <li>{@link #ensure}: idempotent; safe when several processes do it at once (one catalogue key,
 *       written in a transaction: the loser of a race conflicts, is retried and finds it).
 *   <li>{@link #open}: the tenant's store (one per tenant and process, cached);
 *       {@link TenantNotFoundException} for a tenant never ensured.
 *   <li>{@link #list}, {@link #status}, {@link #lagging} (schema drift: each tenant records the
 *       definition version of the code that last opened it).
 *   <li>{@link #archive}: every key of the tenant to a file, read in one read-only transaction.
 *   <li>{@link #drop}: only with {@code force}; deletes every key and the catalogue entry in one
 *       transaction.
 * </ul>
 *
 * <p>Close the tenants (closes the tenant stores it opened) before the shared store. Thread-safe.
 */
public final class Tenants implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final byte[] MAGIC = "TITO-TENANT-ARCHIVE-1".getBytes(
      java.nio.charset.StandardCharsets.US_ASCII);

  private final Tito root;
  private final Function<String, List<TitoModule<?>>> modules;
  private final long definitionVersion;
  private final Subspace catalog;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Tito> open = new ConcurrentHashMap<>();

  private Tenants(Tito root, Function<String, List<TitoModule<?>>> modules,
      long definitionVersion) {
    this.root = root;
    this.modules = modules;
    this.definitionVersion = definitionVersion;
    this.catalog = root.root().subspace("tenants");
  }

  /**
   * Tenants of {@code root}'s engine, each opened with {@code modules.apply(name)} (fresh
   * module builders per tenant), at definition version {@code definitionVersion} (raise it when
   * index or model definitions change).
   */
  public static Tenants of(Tito root, Function<String, List<TitoModule<?>>> modules,
      long definitionVersion) {
    if (root == null || modules == null || definitionVersion < 0) {
      throw new InvalidArgumentException("tenants need a store, a module function and a "
          + "non-negative definition version", Map.of());
    }
    return new Tenants(root, modules, definitionVersion);
  }

  /** The definition version of this code. */
  public long definitionVersion() {
    return definitionVersion;
  }

  /** Creates tenant {@code name} if absent (idempotent); returns its catalogue entry. */
  public TenantInfo ensure(String name) {
    byte[] key = catalog.pack(requireName(name));
    return root.transaction(tx -> {
      byte[] have = tx.get(key);
      if (have != null) {
        return info(name, have);
      }
      ObjectNode n = json.createObjectNode();
      n.put("createdAt", root.clock().instant().toString());
      n.put("definitionVersion", definitionVersion);
      byte[] bytes = n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      tx.set(key, bytes);
      return info(name, bytes);
    });
  }

  /**
   * The store of tenant {@code name}, opened with its modules on first use and cached; records
   * this code's definition version for the tenant.
   *
   * @throws TenantNotFoundException if it was never ensured or was dropped
   */
  public Tito open(String name) {
    TenantInfo info = status(name);
    Tito t = open.computeIfAbsent(name, n -> {
      Tito.Builder b = Tito.builder().engine(new TenantEngine(root.engine(), prefix(n)))
          .clock(root.clock()).retryPolicy(root.retryPolicy());
      for (TitoModule<?> m : modules.apply(n)) {
        b.with(m);
      }
      return b.build();
    });
    if (info.definitionVersion() < definitionVersion) {
      recordVersion(name);
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
    byte[] v = root.read(tx -> tx.get(catalog.pack(requireName(name))));
    if (v == null) {
      throw new TenantNotFoundException(name);
    }
    return info(name, v);
  }

  /** Every tenant, by name. */
  public List<TenantInfo> list() {
    return root.read(tx -> {
      List<TenantInfo> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(catalog.range())) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          out.add(info(catalog.unpack(kv.key()).getString(0), kv.value()));
        }
      }
      return out;
    });
  }

  /** The health check of schema drift: tenants whose recorded definition version lags. */
  public List<TenantInfo> lagging() {
    return list().stream().filter(TenantInfo::lagging).toList();
  }

  /**
   * Writes every key and value of tenant {@code name} to {@code file} (replaced), read in one
   * read-only transaction: a consistent copy. Returns the number of entries. Format: a magic
   * line, the tenant name, then (key length, key, value length, value) records, then -1.
   */
  public long archive(String name, Path file) {
    status(name);
    byte[] p = prefix(name);
    return root.read(tx -> {
      long n = 0;
      try (OutputStream os = Files.newOutputStream(file);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
          KeyValueCursor c = tx.scan(KeyRange.startsWith(p))) {
        out.write(MAGIC);
        out.writeUTF(name);
        while (c.hasNext()) {
          KeyValue kv = c.next();
          out.writeInt(kv.key().length - p.length);
          out.write(kv.key(), p.length, kv.key().length - p.length);
          out.writeInt(kv.value().length);
          out.write(kv.value());
          n++;
        }
        out.writeInt(-1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return n;
    });
  }

  /**
   * Deletes tenant {@code name}: every key under its prefix and its catalogue entry, in one
   * transaction, after closing its store in this process. Refused without {@code force}.
   *
   * @throws InvalidArgumentException without force
   * @throws TenantNotFoundException if absent
   */
  public void drop(String name, boolean force) {
    if (!force) {
      throw new InvalidArgumentException("dropping a tenant deletes all its data; pass force",
          Map.of("tenant", String.valueOf(name)));
    }
    status(name);
    Tito t = open.remove(name);
    if (t != null) {
      t.close();
    }
    root.inTransaction(tx -> {
      tx.clearRange(KeyRange.startsWith(prefix(name)));
      tx.clear(catalog.pack(name));
    });
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

  private void recordVersion(String name) {
    byte[] key = catalog.pack(name);
    root.inTransaction(tx -> {
      byte[] have = tx.get(key);
      if (have == null) {
        throw new TenantNotFoundException(name);
      }
      ObjectNode n = (ObjectNode) read(have);
      if (n.path("definitionVersion").asLong() < definitionVersion) {
        n.put("definitionVersion", definitionVersion);
        tx.set(key, n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    });
  }

  private TenantInfo info(String name, byte[] bytes) {
    JsonNode n = read(bytes);
    long v = n.path("definitionVersion").asLong();
    return new TenantInfo(name, Instant.parse(n.path("createdAt").asText()), v,
        v < definitionVersion);
  }

  private JsonNode read(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("tenant catalogue entry is not JSON", e);
    }
  }

  private static byte[] prefix(String name) {
    return Tuple.of("tito-tenant", name).pack();
  }

  private static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("a tenant name is 1-63 letters, digits, '.', '_' or "
          + "'-', starting with a letter or digit", Map.of("tenant", String.valueOf(name)));
    }
    return name;
  }
}
