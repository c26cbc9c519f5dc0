package io.tito.internal.events;

import io.tito.Stamp;
import io.tito.Transaction;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.tuple.Tuple;
import java.util.List;

/**
 * How $all entries get their positions. With {@link Capability#COMMIT_ORDERED_KEYS} the engine
 * stamps each entry at commit: appends to different streams share no key and never conflict.
 * Without it the fallback is one global sequence key that every append reads and increments, so
 * appends serialise on it (any two concurrent appends conflict and one retries): correct, and
 * slower under concurrency. Both give the same key layout and the same guarantee: positions
 * increase in the order readers see commits, and a reader never skips a late committer.
 */
public sealed interface GlobalOrder {

  /** The strategy for {@code engine}: chosen by its declared capability, never by its name. */
  static GlobalOrder forEngine(Engine engine, EventKeys keys) {
    return engine.capabilities().contains(Capability.COMMIT_ORDERED_KEYS)
        ? new Stamped(keys) : new Sequence(keys);
  }

  /**
   * Writes the position reference of one append at {@code refPrefix} (its value: {@code
   * refValue}), then its $all entries, one per row: the rows' events get the positions right after
   * the reference's stamp ({@code order + 1}, {@code + 2}, ...), each entry the position of its
   * row's first event and one order per event, so a reader of the stream resolves an event's
   * position from the reference (see {@link StreamPositions}).
   *
   * @return the first event's position if known now, else its order in the transaction ({@link
   *     Pending#order}) to be combined with the commit version after commit
   */
  Pending write(Transaction tx, byte[] refPrefix, byte[] refValue, List<Entry> entries);

  /** A $all entry to write: its value and how many events (positions) it stands for. */
  record Entry(byte[] value, int events) {}

  /** Whether the strategy is engine stamps (else the fallback sequence). */
  boolean stamped();

  /** A first position known now ({@code known}), or an order within the committing transaction. */
  record Pending(Stamp known, int order) {
    /** The first position once the transaction committed. */
    public Stamp resolve(Transaction committed) {
      return known != null ? known : committed.committedStamp(order);
    }
  }

  /** Engine-stamped keys. */
  record Stamped(EventKeys keys) implements GlobalOrder {
    @Override
    public Pending write(Transaction tx, byte[] refPrefix, byte[] refValue, List<Entry> entries) {
      int ref = tx.setStamped(refPrefix, refValue);
      byte[] prefix = keys.allPrefix();
      for (Entry e : entries) {
        tx.setStamped(prefix, e.value(), e.events());
      }
      return new Pending(null, ref + 1);
    }

    @Override
    public boolean stamped() {
      return true;
    }
  }

  /** The fallback: a global sequence key read and incremented by every append. */
  record Sequence(EventKeys keys) implements GlobalOrder {
    @Override
    public Pending write(Transaction tx, byte[] refPrefix, byte[] refValue, List<Entry> entries) {
      byte[] seqKey = keys.sequence();
      byte[] current = tx.get(seqKey);
      long next = (current == null ? 0 : Tuple.unpack(current).getLong(0)) + 1;
      tx.set(seqKey, Tuple.of(next).pack());
      tx.set(new Stamp(next, 0).appendTo(refPrefix), refValue);
      byte[] prefix = keys.allPrefix();
      int order = 1;
      for (Entry e : entries) {
        if (order + e.events() - 1 > Stamp.MAX_ORDER) {
          throw new io.tito.InvalidArgumentException("too many events in one transaction",
              java.util.Map.of("max", Stamp.MAX_ORDER));
        }
        tx.set(new Stamp(next, order).appendTo(prefix), e.value());
        order += e.events();
      }
      return new Pending(new Stamp(next, 1), 1);
    }

    @Override
    public boolean stamped() {
      return false;
    }
  }
}
