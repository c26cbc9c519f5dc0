package io.tito.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.InvalidArgumentException;
import io.tito.data.MissingPolicy;
import io.tito.data.Patch;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InternalsTest {

  private static final ObjectMapper M = new ObjectMapper();

  @Test
  void storedRecordRoundTrips() {
    StoredRecord a = new StoredRecord(7, true, Instant.ofEpochSecond(-5, 3),
        Instant.ofEpochSecond(99, 999_999_999), new byte[] {1, 2});
    StoredRecord b = StoredRecord.decode(a.encode());
    assertThat(b.version()).isEqualTo(7);
    assertThat(b.deleted()).isTrue();
    assertThat(b.createdAt()).isEqualTo(a.createdAt());
    assertThat(b.updatedAt()).isEqualTo(a.updatedAt());
    assertThat(b.body()).containsExactly(1, 2);
    StoredRecord c = StoredRecord.decode(new StoredRecord(1, false, null, null, new byte[0]).encode());
    assertThat(c.createdAt()).isNull();
    assertThatThrownBy(() -> StoredRecord.decode(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void deletedFlagIsReadFromTheFirstByteOfAnEntryValue() {
    assertThat(ValueIndexMaintainer.deletedEntry(Tuple.of(true, "id-1").pack())).isTrue();
    assertThat(ValueIndexMaintainer.deletedEntry(Tuple.of(false, "id-1").pack())).isFalse();
    assertThat(ValueIndexMaintainer.deletedEntry(Tuple.of(true, 7L, new byte[] {0x27}).pack()))
        .isTrue();
    assertThat(ValueIndexMaintainer.deletedEntry(Tuple.of(false, 7L, new byte[] {0x27}).pack()))
        .isFalse();
    assertThat(ValueIndexMaintainer.deletedEntry(new byte[0])).isFalse();
  }

  private static QuerySpec<Object> spec(String index, boolean reverse, Object... eq) {
    return new QuerySpec<>(index, List.of(eq), false, null, false, false, null, false, null,
        reverse, 10, 10, null, false, List.of(), MissingPolicy.SKIP, null, null);
  }

  @Test
  void continuationsRoundTripAndRejectOtherQueries() {
    byte[] fp = Continuations.fingerprint("t", spec("ix", false, "a"));
    byte[] suffix = Tuple.of("a", 1L).pack();
    String token = Continuations.encode(fp, suffix);
    assertThat(token).doesNotContain("=", "+", "/");
    assertThat(Continuations.decode(token, fp)).containsExactly(suffix);
    assertThat(Continuations.fingerprint("t", spec("ix", true, "a"))).isNotEqualTo(fp);
    assertThat(Continuations.fingerprint("t", spec("ix", false, "b"))).isNotEqualTo(fp);
    assertThat(Continuations.fingerprint("u", spec("ix", false, "a"))).isNotEqualTo(fp);
    assertThat(Continuations.fingerprint("t", spec("iy", false, "a"))).isNotEqualTo(fp);
    assertThatThrownBy(() -> Continuations.decode(token,
        Continuations.fingerprint("t", spec("ix", true, "a"))))
        .hasMessageContaining("different query");
    assertThatThrownBy(() -> Continuations.decode("!!", fp)).hasMessageContaining("not a valid");
    String badSuffix = Continuations.encode(fp, new byte[] {(byte) 0x99});
    assertThatThrownBy(() -> Continuations.decode(badSuffix, fp))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void patchesCreateParentsAndEditArrays() throws Exception {
    JsonNode doc = M.readTree("{\"a\":1,\"list\":[1,2,3],\"o\":{\"x\":1}}");
    JsonPatcher.apply(doc, Patch.set("/n/m/k", "v").andSet("/list/-", 4).andSet("/list/0", 0)
        .andRemove("/list/1").andRemove("/o/x").andRemove("/absent").andSet("/a", null), M);
    assertThat(doc.toString())
        .isEqualTo("{\"a\":null,\"list\":[0,3,4],\"o\":{},\"n\":{\"m\":{\"k\":\"v\"}}}");
    assertThatThrownBy(() -> JsonPatcher.apply(M.readTree("{\"a\":1}"), Patch.set("/a/b", 1), M))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> JsonPatcher.apply(M.readTree("{\"l\":[]}"), Patch.set("/l/5", 1), M))
        .isInstanceOf(InvalidArgumentException.class);
  }
}
