package io.tito.internal.events;

import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;

/**
 * Keeps the stamps of new appends above the $all entries the store already holds. A store that
 * received its entries from elsewhere (a restore from a backup, a copy, a move to another engine
 * or server) may hold stamps above those its engine gives next; new appends would then sort below
 * them, and a reader resuming from the old head would skip them. At open the event store raises
 * the engine's {@linkplain Engine#raiseStampFloor stamp floor} to the last entry's version
 * (unclipped by the horizon: every stamped key counts), which changes nothing in the usual case.
 */
public final class StampFloor {

  private StampFloor() {}

  /** Raises {@code engine}'s stamp floor to the version of the last $all entry, if any. */
  public static void raiseAboveStored(Engine engine, EventKeys keys) {
    Stamp last = lastStored(engine, keys);
    if (last != null) {
      engine.raiseStampFloor(last.commitVersion());
    }
  }

  /** The stamp of the last $all entry (final or not), or {@code null} when there is none. */
  static Stamp lastStored(Engine engine, EventKeys keys) {
    KeyRange all = keys.allEntries();
    try (EngineTransaction tx = engine.begin(true);
        KeyValueCursor c = tx.scan(all.begin(), all.end(), ScanOptions.REVERSE.withLimit(1))) {
      if (!c.hasNext()) {
        return null;
      }
      KeyValue kv = c.next();
      return Stamp.fromBytes(kv.key(), kv.key().length - Stamp.LENGTH);
    }
  }
}
