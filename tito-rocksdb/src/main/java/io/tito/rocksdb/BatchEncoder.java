package io.tito.rocksdb;

import java.util.Arrays;
import org.rocksdb.WriteBatch;

/**
 * Builds a commit's write batch in Java, in RocksDB's serialized write-batch format, and hands it
 * to RocksDB in one native call ({@link #toBatch}) instead of one call per put, delete and range
 * delete (each copying its arrays across JNI separately).
 *
 * <p>The format (RocksDB {@code db/write_batch.cc}, stable since the first releases because it is
 * also the write-ahead log's record format): a 12-byte header, the sequence number as a
 * little-endian 64-bit integer (0 here: RocksDB assigns it when writing) and the record count as
 * a little-endian 32-bit integer, then one record per operation: a tag byte, the column family id
 * as a varint32 for any family but the default one, then the key and, for a put or range delete,
 * the value (or range end), each as a varint32 length followed by the bytes.
 * {@code BatchEncoderTest} checks every record kind byte for byte against RocksJava's own
 * {@link WriteBatch}.
 *
 * <p>Not thread-safe; one per commit.
 */
final class BatchEncoder {

  /** Record tags (RocksDB {@code ValueType}): default column family, then any other. */
  static final byte DELETION = 0x0;
  static final byte VALUE = 0x1;
  static final byte FAMILY_DELETION = 0x4;
  static final byte FAMILY_VALUE = 0x5;
  static final byte FAMILY_RANGE_DELETION = 0xE;
  static final byte RANGE_DELETION = 0xF;

  private static final int HEADER = 12;

  private byte[] buf;
  private int len = HEADER;
  private int count;

  /** An encoder whose buffer holds {@code capacity} bytes before growing (see {@link #size}). */
  BatchEncoder(long capacity) {
    buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(HEADER, capacity))];
  }

  /** The encoded size of a batch's header. */
  static long headerSize() {
    return HEADER;
  }

  /**
   * The encoded size of one record in {@code family} with a key and, for a put or range delete,
   * a value of the given lengths ({@code valueLength} negative for a delete): add them up to size
   * an encoder exactly, so {@link #bytes()} hands over its buffer without a copy.
   */
  static long size(int family, int keyLength, int valueLength) {
    long n = 1 + (family == 0 ? 0 : varintSize(family)) + varintSize(keyLength) + keyLength;
    return valueLength < 0 ? n : n + varintSize(valueLength) + valueLength;
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** A put of {@code key} to {@code value} in column family {@code family} (0: the default one). */
  void put(int family, byte[] key, byte[] value) {
    record(family, VALUE, FAMILY_VALUE, key, value);
  }

  /** A delete of {@code key} in column family {@code family}. */
  void delete(int family, byte[] key) {
    record(family, DELETION, FAMILY_DELETION, key, null);
  }

  /** A delete of {@code [begin, end)} in column family {@code family}. */
  void deleteRange(int family, byte[] begin, byte[] end) {
    record(family, RANGE_DELETION, FAMILY_RANGE_DELETION, begin, end);
  }

  /** The number of operations so far. */
  int count() {
    return count;
  }

  /** The serialized batch: header and records. */
  byte[] bytes() {
    byte[] out = len == buf.length ? buf : Arrays.copyOf(buf, len);
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    return out;
  }

  /** A new native batch holding the operations; the caller closes it. */
  WriteBatch toBatch() {
    return new WriteBatch(bytes());
  }

  private void record(int family, byte defaultTag, byte familyTag, byte[] key, byte[] value) {
    ensure(size(family, key.length, value == null ? -1 : value.length));
    if (family == 0) {
      buf[len++] = defaultTag;
    } else {
      buf[len++] = familyTag;
      varint(family);
    }
    slice(key);
    if (value != null) {
      slice(value);
    }
    count++;
  }

  private void slice(byte[] b) {
    varint(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void varint(int v) {
    while ((v & ~0x7F) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  private void ensure(long more) {
    long need = (long) len + more;
    if (need > buf.length) {
      if (need > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("write batch larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * buf.length)));
    }
  }
}
