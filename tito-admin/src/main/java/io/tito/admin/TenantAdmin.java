package io.tito.admin;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.docs.TenantInfo;
import io.tito.docs.TenantNotFoundException;
import io.tito.docs.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator's operations on the tenants of a store ({@link Tenants} of tito-docs): list,
 * status, ensure, archive, restore and drop, and {@link #admin(String)} for the reads of one tenant's
 * store. A tenant's store is opened with an empty {@link DataStore} only (its models and indexes
 * are read from its metadata), so this works on any store opened by URL. Close it to close the tenant stores it opened (not the
 * shared store). Thread-safe.
 */
public final class TenantAdmin implements AutoCloseable {

  private final Tenants tenants;

  private TenantAdmin(Tenants tenants) {
    this.tenants = tenants;
  }

  /**
   * The tenants of {@code tito}. {@code definitionVersion} is the version the application's code
   * declares: tenants recorded at a lower one are reported as lagging, and {@link #ensure} records
   * it for a new tenant (use 0 when unknown: nothing lags then).
   *
   * @throws InvalidArgumentException if {@code tito} is null or the version is negative
   */
  public static TenantAdmin of(Tito tito, long definitionVersion) {
    return new TenantAdmin(Tenants.of(tito, name -> List.of(DataStore.models()),
        definitionVersion));
  }

  /** Every tenant, by name. */
  public List<TenantInfo> list() {
    return tenants.list();
  }

  /** One tenant. @throws TenantNotFoundException if absent */
  public TenantInfo status(String name) {
    return tenants.status(name);
  }

  /**
   * Creates tenant {@code name} if absent (idempotent).
   *
   * @throws InvalidArgumentException if the name is not 1-63 of {@code [A-Za-z0-9._-]}
   */
  public TenantInfo ensure(String name) {
    return tenants.ensure(name);
  }

  /**
   * The operations on tenant {@code name}'s own store (its models, indexes, topics), which stays
   * open until this object is closed.
   *
   * @throws TenantNotFoundException if absent
   */
  public TitoAdmin admin(String name) {
    return TitoAdmin.of(tenants.open(name));
  }

  /** Closes the tenant stores opened by {@link #admin(String)}. */
  @Override
  public void close() {
    tenants.close();
  }

  /**
   * Writes every key of tenant {@code name} to {@code file}, a consistent copy read in one
   * read-only transaction; returns the number of entries.
   *
   * @throws InvalidArgumentException if {@code file} exists (never overwritten) or its directory
   *     does not
   * @throws TenantNotFoundException if absent
   */
  public long archive(String name, Path file) {
    if (file == null || Files.exists(file)) {
      throw new InvalidArgumentException("the archive file must not exist yet",
          Map.of("file", String.valueOf(file)));
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidArgumentException("the archive file's directory does not exist",
          Map.of("file", String.valueOf(file)));
    }
    tenants.status(name);
    return tenants.archive(name, file);
  }

  /**
   * Restores an archive written by {@link #archive} as tenant {@code name}, or under the name
   * recorded in the archive when {@code name} is null; see {@link Tenants#restore(Path, String)}
   * (the tenant is unusable until every key is in, and a failed restore is replaced by a new one).
   *
   * @throws InvalidArgumentException if {@code file} does not exist or is not a complete tenant
   *     archive
   * @throws io.tito.AlreadyExistsException if the tenant exists and is not being restored
   */
  public TenantInfo restore(Path file, String name) {
    if (file == null || !Files.isRegularFile(file)) {
      throw new InvalidArgumentException("the archive file does not exist",
          Map.of("file", String.valueOf(file)));
    }
    return name == null ? tenants.restore(file) : tenants.restore(file, name);
  }

  /**
   * Deletes tenant {@code name} and all its data, in one transaction; refused without
   * {@code force}.
   *
   * @throws InvalidArgumentException without force
   * @throws TenantNotFoundException if absent
   */
  public void drop(String name, boolean force) {
    tenants.drop(name, force);
  }
}
