package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.tito.ByteArrays;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The value of a clear record: every range a commit cleared (a point clear as {@code [k, k\0)}),
 * so that a later commit from an older snapshot can tell that a key it writes was deleted after
 * its snapshot; etcd itself keeps no trace of a deleted key that a compare could see.
 */
final class ClearRecords {

  private ClearRecords() {}

  /** Encodes the cleared ranges and point clears of a write set; null if it clears nothing. */
  static ByteString encode(NavigableMap<byte[], byte[]> points, NavigableMap<byte[], byte[]> ranges) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      int n = 0;
      for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
        write(out, r.getKey(), r.getValue());
        n++;
      }
      for (Map.Entry<byte[], byte[]> p : points.entrySet()) {
        if (p.getValue() == null) {
          write(out, p.getKey(), ByteArrays.keyAfter(p.getKey()));
          n++;
        }
      }
      return n == 0 ? null : ByteString.copyFrom(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(DataOutputStream out, byte[] begin, byte[] end) throws IOException {
    out.writeInt(begin.length);
    out.write(begin);
    out.writeInt(end.length);
    out.write(end);
  }

  /** The ranges of a record, each as {@code {begin, end}}. */
  static List<byte[][]> decode(ByteString value) {
    try {
      DataInputStream in = new DataInputStream(value.newInput());
      List<byte[][]> out = new ArrayList<>();
      while (in.available() > 0) {
        byte[] begin = in.readNBytes(in.readInt());
        byte[] end = in.readNBytes(in.readInt());
        out.add(new byte[][] {begin, end});
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code [begin, end)} overlaps any point or range written by a write set. */
  static boolean overlaps(byte[] begin, byte[] end, NavigableMap<byte[], byte[]> points,
      NavigableMap<byte[], byte[]> ranges) {
    if (ByteArrays.compare(begin, end) >= 0) {
      return false;
    }
    if (!points.subMap(begin, true, end, false).isEmpty()) {
      return true;
    }
    Map.Entry<byte[], byte[]> before = ranges.lowerEntry(end);
    return before != null && ByteArrays.compare(begin, before.getValue()) < 0;
  }
}
