package io.tito;

import java.util.Arrays;

/**
 * One key and its value, as returned by scans. The arrays are owned by the caller once returned;
 * equality compares contents.
 */
public record KeyValue(byte[] key, byte[] value) {

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return ByteArrays.printable(key) + "=" + ByteArrays.printable(value);
  }
}
