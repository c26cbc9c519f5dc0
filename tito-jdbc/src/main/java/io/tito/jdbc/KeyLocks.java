package io.tito.jdbc;

import java.util.Arrays;
import java.util.Collection;

/**
 * The advisory lock ids of a commit's written keys on PostgreSQL: a 64-bit hash of each key
 * (seeded per store), sorted and without duplicates, so that every commit takes its key locks in
 * one global order and two commits can never wait for each other in a cycle. Two keys whose
 * hashes collide only make their commits wait for each other; they never make one miss a
 * conflict (the check reads the rows themselves). Stateless.
 */
final class KeyLocks {

  private KeyLocks() {}

  /** The sorted, distinct lock ids of {@code keys}. */
  static long[] of(long seed, Collection<byte[]> keys) {
    long[] ids = new long[keys.size()];
    int i = 0;
    for (byte[] key : keys) {
      ids[i++] = hash(seed, key);
    }
    Arrays.sort(ids);
    int n = 0;
    for (int j = 0; j < ids.length; j++) {
      if (n == 0 || ids[j] != ids[n - 1]) {
        ids[n++] = ids[j];
      }
    }
    return n == ids.length ? ids : Arrays.copyOf(ids, n);
  }

  /** 64-bit FNV-1a of {@code bytes} from {@code seed}, finished with MurmurHash3's fmix64. */
  static long hash(long seed, byte[] bytes) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
