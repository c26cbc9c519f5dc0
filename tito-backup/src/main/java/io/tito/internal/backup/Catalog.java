package io.tito.internal.backup;

import io.tito.TitoException;
import io.tito.backup.BackupManifest;
import io.tito.backup.BackupStorage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backups of one set in a storage, read afresh at each call: complete ones (a manifest that
 * passes its checksum), damaged ones (a manifest that does not), and incomplete ones (no
 * manifest). Ordered by id, which starts with the start time.
 */
public final class Catalog {

  private final BackupStorage storage;
  private final String set;
  private final ChunkReader reader;

  public Catalog(BackupStorage storage, String set) {
    this.storage = storage;
    this.set = set;
    this.reader = new ChunkReader(storage);
  }

  /** The state of the set now. */
  public Listing read() {
    List<BackupManifest> complete = new ArrayList<>();
    Map<String, String> damaged = new LinkedHashMap<>();
    List<String> incomplete = new ArrayList<>();
    List<String> ids = new ArrayList<>(storage.backupIds());
    ids.sort(Comparator.naturalOrder());
    for (String id : ids) {
      if (!id.startsWith(set + ".") || BackupWriter.idTime(id) == null) {
        continue;
      }
      if (!storage.files(id).contains(BackupManifest.FILE)) {
        incomplete.add(id);
        continue;
      }
      try {
        complete.add(reader.manifest(id));
      } catch (TitoException e) {
        damaged.put(id, e.getMessage());
      }
    }
    return new Listing(complete, damaged, incomplete);
  }

  /** The newest complete backup. */
  public Optional<BackupManifest> newest() {
    List<BackupManifest> all = read().complete();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** A snapshot of the set. */
  public record Listing(List<BackupManifest> complete, Map<String, String> damaged, List<String> incomplete) {
    /** The complete backup {@code id}, if any. */
    public Optional<BackupManifest> find(String id) {
      return complete.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** The backups from the full one starting {@code last}'s chain up to {@code last}. */
    public List<BackupManifest> chainTo(BackupManifest last) {
      List<BackupManifest> chain = new ArrayList<>();
      BackupManifest m = last;
      while (true) {
        chain.add(0, m);
        if (m.kind() == BackupManifest.Kind.FULL) {
          return chain;
        }
        String parentId = m.parent();
        BackupManifest child = m;
        m = find(parentId).orElseThrow(() -> ManifestCodec.corrupt(child.id(),
            "the backup it follows, " + parentId + ", is missing or damaged"
                + (damaged.containsKey(parentId) ? " (" + damaged.get(parentId) + ")" : "")));
        if (m.toVersion() != child.fromVersion() || !m.lineage().equals(child.lineage())) {
          throw ManifestCodec.corrupt(child.id(), "it does not continue " + parentId + " (versions "
              + m.toVersion() + " and " + child.fromVersion() + ")");
        }
      }
    }
  }
}
