package io.tito.internal.data;

import io.tito.InvalidArgumentException;
import io.tito.tuple.Tuple;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Continuation tokens: base64url (no padding) of {@code [format 1][8-byte query fingerprint]
 * [key suffix after the scanned subspace][CRC-32 of the preceding bytes]}. The fingerprint is a
 * SHA-256 prefix of everything that defines the query's rows and order (table, index, equality
 * values, range, direction, deleted rows), not of the page size or the residual filter, which
 * may change between pages. The CRC catches corruption, not forgery: tokens are no security
 * boundary. Stateless.
 */
public final class Continuations {

  private static final byte FORMAT = 1;

  private Continuations() {}

  /** The fingerprint of a query. */
  public static byte[] fingerprint(String table, QuerySpec<?> q) {
    Tuple t = Tuple.of("tito.data.query", 1, table, q.index() == null ? "" : q.index(),
        Tuple.fromList(q.equal()), q.hasLower(), q.hasLower() ? q.lower() : null,
        q.lowerInclusive(), q.hasUpper(), q.hasUpper() ? q.upper() : null, q.upperInclusive(),
        q.prefix(), q.reverse(), q.includeDeleted());
    // A seek position is part of the query; without one, tokens stay as they were.
    byte[] packed = (q.seek() == null ? t : t.add(Tuple.fromList(q.seek()))).pack();
    return Arrays.copyOf(SHA256.get().digest(packed), 8);
  }

  /** One digest per thread: looking the algorithm up per query cost more than the digest. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  });

  /** A token resuming after the key whose suffix (after the scanned subspace) is given. */
  public static String encode(byte[] fingerprint, byte[] suffix) {
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + suffix.length + 4);
    b.put(FORMAT).put(fingerprint).put(suffix);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /**
   * The key suffix of a token made for the query with {@code fingerprint}.
   *
   * @throws InvalidArgumentException if the token is malformed, corrupted, of an unknown format,
   *     or made for a different query
   */
  public static byte[] decode(String token, byte[] fingerprint) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid("continuation is not a valid token");
    }
    if (raw.length < 1 + 8 + 4) {
      throw invalid("continuation is not a valid token");
    }
    CRC32 crc = new CRC32();
    crc.update(raw, 0, raw.length - 4);
    if (ByteBuffer.wrap(raw, raw.length - 4, 4).getInt() != (int) crc.getValue()) {
      throw invalid("continuation is corrupted");
    }
    if (raw[0] != FORMAT) {
      throw invalid("continuation has an unknown format");
    }
    if (!Arrays.equals(Arrays.copyOfRange(raw, 1, 9), fingerprint)) {
      throw invalid("continuation belongs to a different query");
    }
    byte[] suffix = Arrays.copyOfRange(raw, 9, raw.length - 4);
    Tuple.unpack(suffix);
    return suffix;
  }

  private static InvalidArgumentException invalid(String msg) {
    return new InvalidArgumentException(msg, Map.of());
  }
}
