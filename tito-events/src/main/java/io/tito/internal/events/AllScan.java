package io.tito.internal.events;

import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of {@code $all} by event position. An entry stands for the events of one row at
 * consecutive positions from its key's stamp (see {@link AllEntry}), so the event at a position
 * may sit in an entry whose key is below it: every read from a position starts with the entry
 * holding it.
 */
public final class AllScan {

  private AllScan() {}

  /** One event of $all: its position and what its entry says of it. */
  public record Event(Stamp position, AllEntry entry) {}

  /** Events in position order; {@code cut}: the read's limit stopped it, so more may follow the last event. */
  public record Page(List<Event> events, boolean cut) {}

  /**
   * At most {@code limit} events at positions {@code >= from} and below {@code below}, in order:
   * from the entry holding {@code from} and at most {@code limit} entries after it (every entry
   * stands for at least one event), read in one {@code scanAll}. Entries past the limit's last
   * event are not decoded. {@code cut} is true when the limit stopped the read.
   *
   * @param limit {@code 1..RangeRead.MAX_LIMIT}
   */
  public static Page read(Transaction tx, EventKeys keys, Stamp from, Stamp below, int limit) {
    List<List<KeyValue>> rows = tx.scanAll(List.of(
        new RangeRead(keys.allUpTo(from), ScanOptions.REVERSE.withLimit(1)),
        RangeRead.forward(keys.allAfter(from, below), limit)));
    List<Event> out = new ArrayList<>();
    for (List<KeyValue> read : rows) {
      for (KeyValue kv : read) {
        if (out.size() >= limit) {
          return new Page(out, true);
        }
        addEvents(keys, kv, from, below, out, limit);
      }
    }
    return new Page(out, out.size() >= limit || rows.get(1).size() >= limit);
  }

  private static void addEvents(EventKeys keys, KeyValue kv, Stamp from, Stamp below, List<Event> out,
      long limit) {
    Stamp stamp = keys.stampOf(kv.key());
    List<AllEntry> events = AllEntry.decode(kv.value());
    for (int i = 0; i < events.size() && out.size() < limit; i++) {
      Stamp p = positionIn(stamp, i);
      if (p.compareTo(from) >= 0 && p.compareTo(below) < 0) {
        out.add(new Event(p, events.get(i)));
      }
    }
  }

  /** The position of an entry's {@code i}-th event. */
  static Stamp positionIn(Stamp entry, int i) {
    return new Stamp(entry.commitVersion(), entry.order() + i);
  }

  /**
   * The last event position below {@code below} ({@link Stamp#MAX}: every entry, final or not),
   * or {@link Stamp#ZERO} if none.
   */
  public static Stamp head(Transaction tx, EventKeys keys, Stamp below) {
    try (KeyValueCursor c = tx.scan(keys.all(below), ScanOptions.REVERSE.withLimit(1))) {
      if (!c.hasNext()) {
        return Stamp.ZERO;
      }
      KeyValue kv = c.next();
      Stamp stamp = keys.stampOf(kv.key());
      Stamp last = positionIn(stamp, AllEntry.count(kv.value()) - 1);
      while (last.compareTo(below) >= 0 && last.order() > stamp.order()) {
        last = new Stamp(last.commitVersion(), last.order() - 1);
      }
      return last;
    }
  }

  /** How many events sit at positions {@code >= from} and below {@code below}, counting up to {@code cap}. */
  public static long count(Transaction tx, EventKeys keys, Stamp from, Stamp below, long cap) {
    long n = 0;
    List<Event> first = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(keys.allUpTo(from), ScanOptions.REVERSE.withLimit(1))) {
      if (c.hasNext()) {
        addEvents(keys, c.next(), from, below, first, cap);
      }
    }
    n += first.size();
    KeyRange after = keys.allAfter(from, below);
    try (KeyValueCursor c = tx.scan(after, ScanOptions.FORWARD.withLimit((int) Math.min(cap, Integer.MAX_VALUE)))) {
      while (n < cap && c.hasNext()) {
        KeyValue kv = c.next();
        Stamp stamp = keys.stampOf(kv.key());
        int events = AllEntry.count(kv.value());
        for (int i = 0; i < events && positionIn(stamp, i).compareTo(below) < 0; i++) {
          n++;
        }
      }
    }
    return Math.min(n, cap);
  }
}
