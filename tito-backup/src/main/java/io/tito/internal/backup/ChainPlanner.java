package io.tito.internal.backup;

import io.tito.InvalidArgumentException;
import io.tito.TitoException;
import io.tito.backup.BackupManifest;
import io.tito.backup.RestorePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Picks the chain of backups that reaches a restore point, newest candidate first. */
final class ChainPlanner {

  private ChainPlanner() {}

  static Restorer.Plan plan(Catalog.Listing listing, RestorePoint point) {
    List<BackupManifest> all = listing.complete();
    if (all.isEmpty()) {
      throw new InvalidArgumentException("no complete backup in this set", Map.of("damaged", listing.damaged().keySet(),
          "incomplete", listing.incomplete()));
    }
    return switch (point) {
      case RestorePoint.Latest l -> new Restorer.Plan(listing.chainTo(all.get(all.size() - 1)), Long.MAX_VALUE, null, -1);
      case RestorePoint.AtVersion v -> atVersion(listing, v.version());
      case RestorePoint.AtTime t -> atTime(listing, t.time());
    };
  }

  private static Restorer.Plan atVersion(Catalog.Listing listing, long version) {
    List<String> reasons = new ArrayList<>();
    List<BackupManifest> all = listing.complete();
    for (int i = all.size() - 1; i >= 0; i--) {
      BackupManifest b = all.get(i);
      if (!b.versioned() || version < b.fromVersion() || version > b.toVersion()
          || (b.kind() == BackupManifest.Kind.INCREMENTAL && version == b.fromVersion())) {
        continue;
      }
      if (b.kind() == BackupManifest.Kind.INCREMENTAL && !b.everyCommit() && version != b.toVersion()) {
        reasons.add(b.id() + " holds only the net changes of versions " + b.fromVersion() + " to " + b.toVersion());
        continue;
      }
      try {
        return new Restorer.Plan(listing.chainTo(b), version, null, version);
      } catch (TitoException e) {
        reasons.add(e.getMessage());
      }
    }
    throw new InvalidArgumentException("no chain of backups reaches this version",
        Map.of("version", version, "restorable", ranges(all), "reasons", reasons));
  }

  private static Restorer.Plan atTime(Catalog.Listing listing, Instant time) {
    List<String> reasons = new ArrayList<>();
    List<BackupManifest> all = listing.complete();
    long t = time.toEpochMilli();
    for (int i = all.size() - 1; i >= 0; i--) {
      BackupManifest b = all.get(i);
      List<BackupManifest> chain;
      try {
        chain = listing.chainTo(b);
      } catch (TitoException e) {
        reasons.add(e.getMessage());
        continue;
      }
      BackupManifest start = chain.size() == 1 ? b : chain.get(chain.size() - 2);
      if (start.toTimeMillis() > t) {
        continue;
      }
      if (b.kind() == BackupManifest.Kind.INCREMENTAL && !b.everyCommit() && b.toTimeMillis() > t) {
        if (start.toTimeMillis() < t) {
          // Inside a net-change interval: neither end is the state at this time, so say so
          // rather than silently restoring the older end.
          throw new InvalidArgumentException("this time falls inside an incremental backup that holds only the net"
              + " changes of its interval (taken from a JDBC store before its change feed logged every commit);"
              + " restore at one of its ends instead",
              Map.of("time", time.toString(), "backup", b.id(), "from", Instant.ofEpochMilli(start.toTimeMillis()).toString(),
                  "to", Instant.ofEpochMilli(b.toTimeMillis()).toString(), "restorable", ranges(all)));
        }
        continue; // it ends after the time and starts at it: an older chain end is tried next
      }
      return new Restorer.Plan(chain, Long.MAX_VALUE, time, -1);
    }
    throw new InvalidArgumentException("no chain of backups reaches back to this time",
        Map.of("time", time.toString(), "restorable", ranges(all), "reasons", reasons));
  }

  private static List<String> ranges(List<BackupManifest> all) {
    return all.stream().map(m -> m.id() + " versions " + m.fromVersion() + ".." + m.toVersion()
        + " until " + Instant.ofEpochMilli(m.toTimeMillis())).toList();
  }
}
