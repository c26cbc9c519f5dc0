package io.tito.internal.backup;

import io.tito.backup.BackupManifest;
import io.tito.backup.BackupStorage;
import io.tito.backup.RetentionPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies a {@link RetentionPolicy} to one set; see there for what is kept. */
public final class Retention {

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private Retention() {}

  /** Deletes what the policy does not keep; returns the deleted ids, oldest first. */
  public static List<String> apply(Catalog catalog, BackupStorage storage, RetentionPolicy policy, Instant now) {
    Catalog.Listing listing = catalog.read();
    List<BackupManifest> all = listing.complete();
    Instant ageLimit = now.minus(policy.keepFor());
    Set<String> keep = new HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      BackupManifest m = all.get(i);
      if (i >= all.size() - policy.keepLast() || m.finishedAt().isAfter(ageLimit)) {
        keep.add(m.id());
      }
    }
    // A kept backup keeps every backup it depends on, whatever their age.
    for (BackupManifest m : all) {
      if (keep.contains(m.id())) {
        BackupManifest cur = m;
        while (cur.parent() != null) {
          keep.add(cur.parent());
          cur = listing.find(cur.parent()).orElse(null);
          if (cur == null) {
            break;
          }
        }
      }
    }
    List<String> deleted = new ArrayList<>();
    for (BackupManifest m : all) {
      if (!keep.contains(m.id())) {
        storage.delete(m.id());
        deleted.add(m.id());
      }
    }
    for (String id : listing.incomplete()) {
      Instant started = BackupWriter.idTime(id);
      if (started != null && started.isBefore(ageLimit)) {
        storage.delete(id);
        deleted.add(id);
      }
    }
    if (!listing.damaged().isEmpty()) {
      LOG.warn("retention leaves damaged backups alone for inspection: {}", listing.damaged());
    }
    return deleted;
  }
}
