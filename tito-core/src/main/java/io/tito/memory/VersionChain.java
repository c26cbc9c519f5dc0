package io.tito.memory;

import java.util.Arrays;

/** Immutable versions of one key, oldest first; a {@code null} value is a deletion. */
final class VersionChain {

  private final long[] versions;
  private final byte[][] values;

  private VersionChain(long[] versions, byte[][] values) {
    this.versions = versions;
    this.values = values;
  }

  static VersionChain of(long version, byte[] value) {
    return new VersionChain(new long[] {version}, new byte[][] {value});
  }

  /** The value visible at {@code snapshot}, or {@code null}. */
  byte[] valueAt(long snapshot) {
    for (int i = versions.length - 1; i >= 0; i--) {
      if (versions[i] <= snapshot) {
        return values[i];
      }
    }
    return null;
  }

  /** A chain with one more (newer) version. */
  VersionChain with(long version, byte[] value) {
    int n = versions.length;
    long[] vs = Arrays.copyOf(versions, n + 1);
    byte[][] vals = Arrays.copyOf(values, n + 1);
    vs[n] = version;
    vals[n] = value;
    return new VersionChain(vs, vals);
  }

  /** Whether a later trim could shrink this chain: it holds old versions or a deletion. */
  boolean needsTrimming() {
    return versions.length > 1 || values[0] == null;
  }

  /**
   * Drops versions older than the newest one visible at {@code oldest}; returns {@code null} if
   * nothing readable remains, or {@code this} if nothing changed.
   */
  VersionChain trimBefore(long oldest) {
    int keepFrom = 0;
    for (int i = versions.length - 1; i >= 0; i--) {
      if (versions[i] <= oldest) {
        keepFrom = i;
        break;
      }
    }
    if (keepFrom == versions.length - 1 && values[keepFrom] == null && versions[keepFrom] <= oldest) {
      return null;
    }
    if (keepFrom == 0) {
      return this;
    }
    return new VersionChain(Arrays.copyOfRange(versions, keepFrom, versions.length),
        Arrays.copyOfRange(values, keepFrom, values.length));
  }
}
