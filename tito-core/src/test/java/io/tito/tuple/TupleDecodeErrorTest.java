package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tito.InvalidArgumentException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of malformed input fails with InvalidArgumentException naming the offset. */
class TupleDecodeErrorTest {

  private static InvalidArgumentException decodeError(String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
    return catchThrowableOfType(InvalidArgumentException.class, () -> Tuple.unpack(bytes));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated value              | 15                                 | 0
      truncated value              | 15 01 16 01                        | 2
      truncated value              | 0c ff ff                           | 0
      truncated value              | 1d                                 | 0
      truncated value              | 1d 09 01 00                        | 0
      truncated value              | 0b f6 fe                           | 0
      truncated value              | 20 00 00 00                        | 0
      truncated value              | 21 80 00 00 00 00 00 00            | 0
      truncated value              | 30 00 11 22 33 44 55 66 77 88 99   | 0
      truncated value              | 14 40 80 00 00 00 00 00 00 00 00   | 1
      unknown type code            | 03                                 | 0
      unknown type code            | 25                                 | 0
      unknown type code            | 33 00 00 00 00 00 00 00 00 00 00 00 00 | 0
      unknown type code            | 15 01 ff                           | 2
      unknown type code            | 15 01 14 fe 00                     | 3
      unknown type code            | 00 ff                              | 1
      unknown type code            | 05 00 00 ff                        | 3
      unterminated string          | 02 61                              | 0
      unterminated string          | 02 61 00 ff                        | 0
      unterminated byte string     | 14 01 61 00 ff 62                  | 1
      unterminated byte string     | 01                                 | 0
      unterminated nested tuple    | 05                                 | 0
      unterminated nested tuple    | 05 15 01 02 61 00                  | 0
      unterminated nested tuple    | 14 05 05 00                        | 1
      unterminated nested tuple    | 05 00 ff                           | 0
      not valid UTF-8              | 02 c3 28 00                        | 0
      not valid UTF-8              | 02 ed a0 80 00                     | 0
      not valid UTF-8              | 02 c0 80 00                        | 0
      not valid UTF-8              | 02 ff 00                           | 0
      not valid UTF-8              | 14 02 f0 9f 98 00                  | 1
      non-minimal integer          | 15 00                              | 0
      non-minimal integer          | 16 00 ff                           | 0
      non-minimal integer          | 13 ff                              | 0
      non-minimal integer          | 1d 08 01 00 00 00 00 00 00 00      | 0
      non-minimal integer          | 1d 09 00 01 00 00 00 00 00 00 00   | 0
      non-minimal integer          | 0b f7 fe ff ff ff ff ff ff ff      | 0
      instant out of range         | 40 80 00 00 00 00 00 00 00 3b 9a ca 00 | 0
      instant out of range         | 40 ff ff ff ff ff ff ff ff 00 00 00 00 | 0
      """)
  void malformedInputIsRejected(String kind, String hex, int offset) {
    InvalidArgumentException e = decodeError(hex);
    assertThat(e).as("%s for %s", kind, hex).isNotNull();
    assertThat(e.staticMessage()).startsWith("malformed tuple: ");
    String firstWord = kind.split(" ")[0];
    assertThat(e.staticMessage()).contains(firstWord.equals("not") ? "UTF-8" : firstWord);
    assertThat(e.context()).containsEntry("offset", offset).containsKey("bytes");
    assertThat(e.getMessage()).contains("offset=" + offset);
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void errorContextShowsTheBytesPrintably() {
    InvalidArgumentException e = decodeError("02 61 62");
    assertThat(e.context().get("bytes")).isEqualTo("\\x02ab");
  }

  @Test
  void nestingDeeperThanTheLimitIsRejected() {
    int ok = Tuple.MAX_DEPTH;
    byte[] deepest = new byte[2 * ok];
    Arrays.fill(deepest, 0, ok, (byte) 0x05);
    assertThat(Tuple.unpack(deepest).size()).isEqualTo(1);

    byte[] tooDeep = new byte[2 * (ok + 1)];
    Arrays.fill(tooDeep, 0, ok + 1, (byte) 0x05);
    InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
        () -> Tuple.unpack(tooDeep));
    assertThat(e.staticMessage()).contains("too deep");
    assertThat(e.context()).containsEntry("offset", ok);

    byte[] hugeRun = new byte[100_000];
    Arrays.fill(hugeRun, (byte) 0x05);
    assertThat(catchThrowableOfType(InvalidArgumentException.class, () -> Tuple.unpack(hugeRun)))
        .isNotNull();
  }

  @Test
  void offsetsOfASliceAreAbsolute() {
    byte[] bytes = HexFormat.of().parseHex("ffff150102ff");
    InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
        () -> Tuple.unpack(bytes, 2, 4));
    assertThat(e.context()).containsEntry("offset", 4);
    assertThat(Tuple.unpack(bytes, 2, 2)).isEqualTo(Tuple.of(1L));
    assertThat(Tuple.unpack(bytes, 6, 0)).isEqualTo(Tuple.EMPTY);
  }

  @Test
  void badSliceBoundsAndNullAreRejected() {
    byte[] bytes = new byte[4];
    for (int[] bad : new int[][] {{-1, 1}, {0, 5}, {5, 0}, {2, -1}, {1, Integer.MAX_VALUE}}) {
      InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
          () -> Tuple.unpack(bytes, bad[0], bad[1]));
      assertThat(e.context()).containsEntry("offset", bad[0]).containsEntry("arrayLength", 4);
    }
    assertThat(catchThrowableOfType(InvalidArgumentException.class, () -> Tuple.unpack(null)))
        .isNotNull();
    assertThat(catchThrowableOfType(InvalidArgumentException.class,
        () -> Tuple.unpack(null, 0, 0))).isNotNull();
  }
}
