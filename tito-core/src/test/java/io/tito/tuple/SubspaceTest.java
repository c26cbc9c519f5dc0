package io.tito.tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import org.junit.jupiter.api.Test;

class SubspaceTest {

  private final Subspace users = Subspace.of("app", 1);

  @Test
  void packPrependsThePrefix() {
    assertThat(users.key()).isEqualTo(Tuple.of("app", 1L).pack());
    assertThat(users.pack("bob", 7)).isEqualTo(Tuple.of("app", 1L, "bob", 7L).pack());
    assertThat(users.pack(Tuple.of("bob", 7))).isEqualTo(users.pack("bob", 7));
    assertThat(users.pack()).isEqualTo(users.key());
    // A Tuple among the varargs elements is one nested element.
    assertThat(users.pack((Object) Tuple.of("bob")))
        .isEqualTo(Tuple.of("app", 1L, Tuple.of("bob")).pack());
    assertThat(new Subspace(Tuple.of("app", 1))).isEqualTo(users).hasSameHashCodeAs(users);
  }

  @Test
  void unpackStripsThePrefix() {
    assertThat(users.unpack(users.pack("bob", 7))).isEqualTo(Tuple.of("bob", 7L));
    assertThat(users.unpack(users.key())).isEqualTo(Tuple.EMPTY);
  }

  @Test
  void keysOutsideAreRejected() {
    byte[] outside = Subspace.of("app", 2).pack("bob");
    assertThat(users.contains(outside)).isFalse();
    InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
        () -> users.unpack(outside));
    assertThat(e.staticMessage()).isEqualTo("key is not in the subspace");
    assertThat(e.context()).containsKeys("key", "prefix");
    assertThat(users.contains(new byte[0])).isFalse();
    assertThat(users.contains(null)).isFalse();
    assertThatThrownBy(() -> users.unpack(null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void malformedRestReportsTheOffsetInTheKey() {
    byte[] key = ByteArrays.concat(users.key(), new byte[] {0x15, 0x01, (byte) 0xFF});
    InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class,
        () -> users.unpack(key));
    assertThat(e.context()).containsEntry("offset", users.key().length + 2);
  }

  @Test
  void containsIsTheBytePrefixTest() {
    assertThat(users.contains(users.key())).isTrue();
    assertThat(users.contains(users.pack("x"))).isTrue();
    assertThat(users.range().contains(users.key())).isFalse();
    assertThat(users.range().contains(users.pack("x"))).isTrue();
  }

  @Test
  void rangeHoldsKeysStrictlyInside() {
    KeyRange r = users.range();
    assertThat(r.begin()).isEqualTo(ByteArrays.concat(users.key(), new byte[] {0x00}));
    assertThat(r.end()).isEqualTo(ByteArrays.concat(users.key(), new byte[] {(byte) 0xFF}));
    assertThat(r.contains(users.pack((Object) null))).isTrue();
    assertThat(r.contains(Subspace.of("app", 2).pack())).isFalse();
    assertThat(r.contains(Subspace.of("app", 0).pack("z"))).isFalse();
  }

  @Test
  void rangeOfATupleExcludesItWhileRangeStartingWithIncludesIt() {
    Tuple bob = Tuple.of("bob");
    KeyRange strict = users.range(bob);
    KeyRange inclusive = users.rangeStartingWith(bob);
    byte[] bare = users.pack(bob);
    byte[] child = users.pack("bob", 1);
    byte[] sibling = users.pack("bobby");
    assertThat(strict.contains(bare)).isFalse();
    assertThat(inclusive.contains(bare)).isTrue();
    assertThat(strict.contains(child)).isTrue();
    assertThat(inclusive.contains(child)).isTrue();
    assertThat(strict.contains(sibling)).isFalse();
    assertThat(inclusive.contains(sibling)).isFalse();
    assertThat(inclusive.begin()).isEqualTo(bare);
    assertThat(inclusive.end()).isEqualTo(strict.end());
    assertThat(users.range(Tuple.EMPTY)).isEqualTo(users.range());
  }

  @Test
  void nestedSubspaces() {
    Subspace bob = users.subspace("bob");
    assertThat(bob.pack(1)).isEqualTo(users.pack("bob", 1));
    assertThat(users.subspace(Tuple.of("bob"))).isEqualTo(bob);
    assertThat(bob.unpack(users.pack("bob", 1))).isEqualTo(Tuple.of(1L));
    assertThat(users.unpack(bob.pack(1))).isEqualTo(Tuple.of("bob", 1L));
    assertThat(users.range().contains(bob.pack(1))).isTrue();
  }

  @Test
  void rawPrefixes() {
    Subspace raw = new Subspace(new byte[] {(byte) 0xFE, 0x01});
    assertThat(raw.pack(5)).containsExactly(0xFE, 0x01, 0x15, 0x05);
    assertThat(raw.unpack(raw.pack(5))).isEqualTo(Tuple.of(5L));
    assertThat(raw.rawRange().begin()).containsExactly(0xFE, 0x01);
    assertThat(raw.rawRange().end()).containsExactly(0xFE, 0x02);
    assertThat(raw.rawRange().contains(new byte[] {(byte) 0xFE, 0x01, (byte) 0xFF})).isTrue();
    assertThat(raw.range().contains(new byte[] {(byte) 0xFE, 0x01, (byte) 0xFF})).isFalse();
    assertThat(raw.toString()).isEqualTo("Subspace(\\xfe\\x01)");
    assertThat(users.toString()).isEqualTo("Subspace(\\x02app\\x00\\x15\\x01 = (\"app\", 1))");

    Subspace root = new Subspace(new byte[0]);
    assertThat(root.pack("a")).isEqualTo(Tuple.of("a").pack());
    assertThat(root.range()).isEqualTo(Tuple.EMPTY.range());
    assertThatThrownBy(root::rawRange).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void prefixIsCopied() {
    byte[] prefix = {1, 2};
    Subspace s = new Subspace(prefix);
    prefix[0] = 9;
    s.key()[1] = 9;
    assertThat(s.key()).containsExactly(1, 2);
    assertThat(s).isNotEqualTo(new Subspace(new byte[] {1, 3}));
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatThrownBy(() -> new Subspace((byte[]) null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new Subspace((Tuple) null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users.pack((Tuple) null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users.range(null)).isInstanceOf(InvalidArgumentException.class);
  }
}
