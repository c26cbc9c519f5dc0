package io.tito.internal.docs;

import io.tito.InvalidArgumentException;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Continuation tokens of document queries. {@code I<fp>.<tito-data token>} resumes an index or
 * id-order scan exactly after its last entry; {@code S<fp>.<base64url tuple>} resumes a sorted
 * answer, and {@code M<fp>.<base64url tuple>} a merged union of index ranges, strictly after the
 * (sort values..., id) it holds; {@code C<fp>.<range number>.<tito-data token>} resumes a chained
 * (any-order) plan inside its range (an empty tito-data token: at that range's start).
 * {@code fp} is a CRC of the query's collection, bound filter and order, so a token from another
 * query is refused. Not a security boundary.
 */
public final class Tokens {

  private Tokens() {}

  /** The fingerprint of a query. */
  public static String fingerprint(String collection, String filter, String order) {
    CRC32 crc = new CRC32();
    crc.update((collection + "\u0000" + filter + "\u0000" + order)
        .getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }

  /** A scan token wrapping tito-data's continuation. */
  public static String scan(String fp, String dataToken) {
    return "I" + fp + "." + dataToken;
  }

  /** A sort token for the key {@code values + id}. */
  public static String sort(String fp, List<Object> key) {
    return key('S', fp, key);
  }

  /** A merge token (a union of index ranges) for the last key {@code values + id}. */
  public static String merge(String fp, List<Object> key) {
    return key('M', fp, key);
  }

  /** A chain token: {@code position} is {@code <range number>.<tito-data token or empty>}. */
  public static String chain(String fp, String position) {
    return "C" + fp + "." + position;
  }

  /** The position inside a chain token of this query. */
  public static String decodeChain(String token, String fp) {
    return body(token, 'C', fp);
  }

  /** The key inside a merge token of this query. */
  public static List<Object> decodeMerge(String token, String fp) {
    return decodeKey(token, 'M', fp);
  }

  private static String key(char kind, String fp, List<Object> key) {
    return kind + fp + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Tuple.fromList(key).pack());
  }

  /** The tito-data continuation inside a scan token of this query. */
  public static String decodeScan(String token, String fp) {
    return body(token, 'I', fp);
  }

  /** The key inside a sort token of this query. */
  public static List<Object> decodeSort(String token, String fp) {
    return decodeKey(token, 'S', fp);
  }

  private static List<Object> decodeKey(String token, char kind, String fp) {
    String b = body(token, kind, fp);
    try {
      return Tuple.unpack(Base64.getUrlDecoder().decode(b)).items();
    } catch (RuntimeException e) {
      throw bad();
    }
  }

  private static String body(String token, char kind, String fp) {
    if (token == null || token.isEmpty() || token.charAt(0) != kind) {
      throw bad();
    }
    int dot = token.indexOf('.');
    if (dot < 0 || !token.substring(1, dot).equals(fp)) {
      throw bad();
    }
    return token.substring(dot + 1);
  }

  private static InvalidArgumentException bad() {
    return new InvalidArgumentException(
        "continuation token is malformed or belongs to another query or plan", Map.of());
  }
}
