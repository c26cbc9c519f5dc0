package io.tito.etcd;

import com.google.protobuf.ByteString;

/** Unsigned lexicographic order of {@link ByteString}s, etcd's key order. */
final class ByteStrings {

  private ByteStrings() {}

  static int compare(ByteString a, ByteString b) {
    return ByteString.unsignedLexicographicalComparator().compare(a, b);
  }
}
