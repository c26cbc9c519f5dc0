package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Byte strings are escaped eight bytes at a time where a word allows it; the result is still the
 * byte-by-byte escape (0x00 as 0x00 0xFF) for every length around the word size, with no zeros,
 * only zeros, and zeros anywhere, after prefixes of every alignment, and decodes back (also
 * followed by more elements, and rejected when cut before its terminator).
 */
class ByteStringEscapingTest {

  @Test
  void everyLengthAndPatternIsTheByteByByteEscape() {
    Random rnd = new Random(17);
    int checked = 0;
    for (int n = 0; n <= 40; n++) {
      for (int pattern = 0; pattern < 6; pattern++) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
          b[i] = switch (pattern) {
            case 0 -> 0;
            case 1 -> (byte) (1 + rnd.nextInt(255));
            case 2 -> (byte) (rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(255));
            case 3 -> (byte) (i % 8 == 3 ? 0 : 0x80 | i);
            case 4 -> (byte) (i < n / 2 ? 0 : -1);
            default -> (byte) (rnd.nextInt(4) == 0 ? 0 : 0x80);
          };
        }
        for (int p = 0; p < 9; p++) {
          byte[] prefix = new byte[p];
          java.util.Arrays.fill(prefix, (byte) 7);
          byte[] written = new TupleWriter(prefix, 0).add(b).toBytes();
          assertThat(written).as("length %d pattern %d prefix %d", n, pattern, p)
              .isEqualTo(reference(prefix, b));
          assertThat(new Subspace(prefix).pack((Object) b)).isEqualTo(written);
          assertThat(new Subspace(prefix).unpack(written).getBytes(0)).isEqualTo(b);
          Tuple two = Tuple.unpack(Tuple.of(b, "x\u0000y", b).pack());
          assertThat(two.getBytes(0)).isEqualTo(b);
          assertThat(two.getString(1)).isEqualTo("x\u0000y");
          assertThat(two.getBytes(2)).isEqualTo(b);
          byte[] cut = java.util.Arrays.copyOf(written, written.length - 1);
          org.assertj.core.api.Assertions.assertThatThrownBy(
                  () -> new Subspace(prefix).unpack(cut))
              .isInstanceOf(io.tito.InvalidArgumentException.class);
          checked++;
        }
        assertThat(TupleEncoder.zeros(b)).isEqualTo(zeros(b));
      }
    }
    assertThat(checked).isEqualTo(41 * 6 * 9);
  }

  private static byte[] reference(byte[] prefix, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix);
    out.write(TupleEncoder.BYTES);
    for (byte x : b) {
      out.write(x);
      if (x == 0) {
        out.write(0xFF);
      }
    }
    out.write(0);
    return out.toByteArray();
  }

  private static int zeros(byte[] b) {
    int n = 0;
    for (byte x : b) {
      n += x == 0 ? 1 : 0;
    }
    return n;
  }
}
