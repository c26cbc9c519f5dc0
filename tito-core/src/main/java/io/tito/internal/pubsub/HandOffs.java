package io.tito.internal.pubsub;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * The events this process's commits published to one partition lately, by log position, kept while
 * a local partition runner follows the partition, so that a runner that read everything before
 * them can hand them to its handler without a fetch ({@link Signals#takeHandOffs}). Bounded: at
 * most {@link #MAX_EVENTS} events and {@link #MAX_BYTES} bytes, the oldest dropped first, and
 * events before the position a runner asks for are dropped when it asks (it has them); a runner
 * that needs a dropped one fetches. Guarded by the {@link Signals} lock, which also keeps the
 * process-wide budget ({@link Signals#MAX_KEPT_BYTES}).
 */
final class HandOffs {

  /** Events kept per partition: about one fetch's worth. */
  static final int MAX_EVENTS = 64;
  /** Bytes of events kept per partition; a larger event is not kept at all. */
  static final int MAX_BYTES = 64 * 1024;

  private record Entry(long position, byte[] event) {}

  private final LinkedList<Entry> entries = new LinkedList<>();
  private long bytes;
  /** The highest position dropped or not kept, or -1. */
  private long droppedUpTo = -1;
  /** Local runners following the partition (one per group); the entries go when none is left. */
  int followers;

  /** Bytes of the events kept now. */
  long bytes() {
    return bytes;
  }

  /**
   * Keeps the committed event at {@code position}, dropping the oldest beyond the bounds; returns
   * the change in kept bytes.
   */
  long add(long position, byte[] event) {
    if (event.length > MAX_BYTES) {
      drop(position);
      return 0;
    }
    long before = bytes;
    entries.addLast(new Entry(position, event));
    bytes += event.length;
    while (entries.size() > MAX_EVENTS || bytes > MAX_BYTES) {
      Entry dropped = entries.removeFirst();
      bytes -= dropped.event().length;
      drop(dropped.position());
    }
    return bytes - before;
  }

  /** Records that the event at {@code position} is not kept (over a budget). */
  void drop(long position) {
    droppedUpTo = Math.max(droppedUpTo, position);
  }

  /**
   * Whether the event at {@code position} was never dropped here: if a local commit appends it,
   * its hand-off is still to come.
   */
  boolean neverDropped(long position) {
    return position > droppedUpTo;
  }

  /**
   * The kept events at positions {@code from}, {@code from + 1}, ... as far as they run without
   * a gap, at most {@code max}; {@code moreOut[0]} is set to whether an event after {@code from}
   * is kept that they do not include (a gap before it: its commit came before the missing one's
   * wake-up, or the missing one was published by another process). Events before {@code from}
   * are dropped first: the runner asking has them (another group's runner that still needs them
   * fetches, as for any dropped event); {@code freedOut[0]} is set to the change in kept bytes
   * (zero or negative).
   */
  List<byte[]> from(long from, int max, boolean[] moreOut, long[] freedOut) {
    long before = bytes;
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.position() < from) {
        it.remove();
        bytes -= e.event().length;
        drop(e.position()); // a runner of another group still before it fetches, not waits
      }
    }
    freedOut[0] = bytes - before;
    List<byte[]> out = new ArrayList<>();
    long next = from;
    boolean found = true;
    // Commits of one partition usually wake in position order; a few passes cover the others.
    while (found && out.size() < max) {
      found = false;
      for (Entry e : entries) {
        if (e.position() == next) {
          out.add(e.event());
          next++;
          found = true;
          if (out.size() == max) {
            break;
          }
        }
      }
    }
    boolean more = false;
    for (Entry e : entries) {
      more |= e.position() >= next;
    }
    moreOut[0] = more;
    return out;
  }
}
