package io.tito.internal.pubsub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The events this process's commits published to one partition lately, by log position, kept while
 * a local partition runner follows the partition, so that a runner that read everything before
 * them can hand them to its handler without a fetch ({@link Signals#takeHandOffs}). Bounded: at
 * most {@link #MAX_EVENTS} events and {@link #MAX_BYTES} bytes, the oldest dropped first (a
 * runner that needs a dropped one fetches). Guarded by the {@link Signals} lock.
 */
final class HandOffs {

  /** Events kept per partition: about one fetch's worth. */
  static final int MAX_EVENTS = 64;
  /** Bytes of events kept per partition; a larger event is not kept at all. */
  static final int MAX_BYTES = 256 * 1024;

  private record Entry(long position, byte[] event) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long bytes;
  /** The highest position dropped or not kept (too large), or -1. */
  private long droppedUpTo = -1;
  /** Local runners following the partition (one per group); the entries go when none is left. */
  int followers;

  /** Keeps the committed event at {@code position}, dropping the oldest beyond the bounds. */
  void add(long position, byte[] event) {
    if (event.length > MAX_BYTES) {
      droppedUpTo = Math.max(droppedUpTo, position);
      return;
    }
    entries.addLast(new Entry(position, event));
    bytes += event.length;
    while (entries.size() > MAX_EVENTS || bytes > MAX_BYTES) {
      Entry dropped = entries.removeFirst();
      bytes -= dropped.event().length;
      droppedUpTo = Math.max(droppedUpTo, dropped.position());
    }
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
   * wake-up, or the missing one was published by another process).
   */
  List<byte[]> from(long from, int max, boolean[] moreOut) {
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
