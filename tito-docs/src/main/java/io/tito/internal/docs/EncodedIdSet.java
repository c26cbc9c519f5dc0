package io.tito.internal.docs;

import java.util.Arrays;

/**
 * A set of encoded ids (byte strings) kept in one growing byte array, with an open-addressing
 * table of their offsets: what a union count needs to tell distinct records apart without an
 * object per id. Each id is stored once as a 4-byte length and its bytes. Not thread-safe.
 */
final class EncodedIdSet {

  private byte[] arena = new byte[1 << 12];
  private int used;
  /** Offset + 1 of each stored id in {@link #arena}, 0 for an empty slot. */
  private int[] slots = new int[1 << 10];
  /** The hash of each slot's id, to skip most byte comparisons. */
  private int[] hashes = new int[1 << 10];
  private int size;

  /** How many distinct ids were added. */
  int size() {
    return size;
  }

  /** Adds {@code length} bytes of {@code bytes} from {@code offset}; whether they were new. */
  boolean add(byte[] bytes, int offset, int length) {
    int h = hash(bytes, offset, length);
    int mask = slots.length - 1;
    int i = h & mask;
    while (slots[i] != 0) {
      if (hashes[i] == h && same(slots[i] - 1, bytes, offset, length)) {
        return false;
      }
      i = (i + 1) & mask;
    }
    int at = store(bytes, offset, length);
    slots[i] = at + 1;
    hashes[i] = h;
    if (++size * 2 > slots.length) {
      grow();
    }
    return true;
  }

  private boolean same(int at, byte[] bytes, int offset, int length) {
    int n = (arena[at] & 0xFF) << 24 | (arena[at + 1] & 0xFF) << 16 | (arena[at + 2] & 0xFF) << 8
        | (arena[at + 3] & 0xFF);
    return n == length
        && Arrays.equals(arena, at + 4, at + 4 + n, bytes, offset, offset + length);
  }

  private int store(byte[] bytes, int offset, int length) {
    int need = used + 4 + length;
    if (need > arena.length || need < 0) {
      long cap = Math.max((long) arena.length * 2, need);
      if (cap > Integer.MAX_VALUE - 8 || need < 0) {
        throw new IllegalStateException("too many distinct ids to count");
      }
      arena = Arrays.copyOf(arena, (int) cap);
    }
    int at = used;
    arena[at] = (byte) (length >>> 24);
    arena[at + 1] = (byte) (length >>> 16);
    arena[at + 2] = (byte) (length >>> 8);
    arena[at + 3] = (byte) length;
    System.arraycopy(bytes, offset, arena, at + 4, length);
    used = need;
    return at;
  }

  private void grow() {
    int[] oldSlots = slots;
    int[] oldHashes = hashes;
    slots = new int[oldSlots.length * 2];
    hashes = new int[oldSlots.length * 2];
    int mask = slots.length - 1;
    for (int j = 0; j < oldSlots.length; j++) {
      if (oldSlots[j] != 0) {
        int i = oldHashes[j] & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = oldSlots[j];
        hashes[i] = oldHashes[j];
      }
    }
  }

  /**
   * The polynomial hash of {@link Arrays#hashCode(byte[])} with its high bits folded in (as
   * {@code HashMap} does): ids read in order from an index range (consecutive numbers, strings
   * differing in their last characters) get nearby slots, so a set of hundreds of thousands of
   * ids is filled and probed mostly in cache order; a strongly mixing hash scattered them and
   * cost more CPU at 1M entries than it saved (BENCHMARKS, issue 13 part 8).
   */
  static int hash(byte[] bytes, int offset, int length) {
    int h = 1;
    for (int k = offset; k < offset + length; k++) {
      h = 31 * h + bytes[k];
    }
    return h ^ (h >>> 16);
  }
}
