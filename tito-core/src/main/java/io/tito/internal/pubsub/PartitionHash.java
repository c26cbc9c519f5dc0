package io.tito.internal.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of a partition key. The partition is the
 * hash as an unsigned 32-bit number modulo the partition count. This is part of the stored
 * format: it must never change.
 */
public final class PartitionHash {

  private PartitionHash() {}

  public static int partition(String key, int partitions) {
    return (int) (Integer.toUnsignedLong(murmur3(key.getBytes(StandardCharsets.UTF_8))) % partitions);
  }

  public static int murmur3(byte[] data) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int o = i * 4;
      int k = (data[o] & 0xff) | (data[o + 1] & 0xff) << 8 | (data[o + 2] & 0xff) << 16
          | (data[o + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
      // fall through
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
