package io.tito.internal.backup;

import java.util.Arrays;

/**
 * A growable byte array that records are appended to: a {@link java.io.ByteArrayOutputStream}
 * without its locks and without the copy that {@code toByteArray} makes (the codecs read
 * {@link #array()} from 0 to {@link #size()}). Not thread-safe.
 */
public final class RecordBuffer {

  private byte[] bytes;
  private int size;

  public RecordBuffer(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  /** Appends the low 8 bits of {@code b}. */
  public void write(int b) {
    if (size == bytes.length) {
      grow(1);
    }
    bytes[size++] = (byte) b;
  }

  /** Appends {@code len} bytes of {@code b} from {@code off}. */
  public void write(byte[] b, int off, int len) {
    if (len > bytes.length - size) {
      grow(len);
    }
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** The backing array; bytes {@code [0, size())} are the records. */
  public byte[] array() {
    return bytes;
  }

  public int size() {
    return size;
  }

  /** Empties the buffer, keeping its array. */
  public void reset() {
    size = 0;
  }

  private void grow(int more) {
    long wanted = (long) size + more;
    if (wanted > Integer.MAX_VALUE - 16) {
      throw new OutOfMemoryError("record buffer over 2 GiB");
    }
    bytes = Arrays.copyOf(bytes, (int) Math.max(wanted, Math.min(Integer.MAX_VALUE - 16L, bytes.length * 2L)));
  }
}
