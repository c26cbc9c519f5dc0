package io.tito.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.memory.MemoryEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataExamplesTest {

  private static final List<String> CRUD = List.of(
      "inserted ada v1",
      "inserted bob v1",
      "inserted cy v1",
      "rejected eve: unique index value is already taken (held by ada)",
      "updated ada to v2",
      "stale update refused: expected v1, stored v2",
      "patched bob to v2",
      "Oslo customers with at least 100 points, most first:",
      "  Bob 500",
      "  Ada Lovelace 120",
      "customers in Oslo: 2",
      "cy visible after soft delete: false",
      "cy restored at v3",
      "bob exists after delete: false",
      "by email ada@example.com: Ada Lovelace");

  private static final List<String> BLOG = List.of(
      "Ann's posts, newest first:",
      "  page 1: Paging by Ann [Java by Bo, Databases by Ann]",
      "  page 1: Relationships by Ann [Databases by Ann]",
      "  page 2: Continuations by Ann [Java by Bo, Databases by Ann]",
      "  page 2: Indexes by Ann [Databases by Ann]",
      "  page 3: Keys are tuples by Ann [Java by Bo, Databases by Ann]",
      "posts tagged java: 4",
      "posts tagged db on days 101..103: [Indexes, Continuations, Relationships]");

  @Test
  void crudOnTheMemoryEngine() {
    try (Tito tito = Tito.builder().url("memory:")
        .with(DataStore.models(CrudExample.CUSTOMERS)).build()) {
      assertThat(output(tito, CrudExample::run)).isEqualTo(CRUD);
    }
  }

  @Test
  void blogOnTheMemoryEngine() {
    try (Tito tito = Tito.builder().url("memory:").with(DataStore.models(BlogExample.AUTHORS,
        BlogExample.TAGS, BlogExample.POSTS)).build()) {
      assertThat(output(tito, BlogExample::run)).isEqualTo(BLOG);
    }
  }

  @Test
  void bothTwiceOnOneRocksDbStore(@TempDir Path dir) {
    for (int i = 0; i < 2; i++) {
      try (Tito tito = Tito.builder().url("rocksdb:" + dir).with(DataStore.models(
          CrudExample.CUSTOMERS, BlogExample.AUTHORS, BlogExample.TAGS, BlogExample.POSTS))
          .build()) {
        assertThat(output(tito, CrudExample::run)).isEqualTo(CRUD);
        assertThat(output(tito, BlogExample::run)).isEqualTo(BLOG);
      }
    }
  }

  private static List<String> output(Tito tito, BiConsumer<Tito, PrintStream> example) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    example.accept(tito, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
