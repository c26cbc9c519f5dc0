package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The Java-encoded write batch equals RocksJava's own, byte for byte, and applies the same. */
class BatchEncoderTest {

  static {
    RocksDB.loadLibrary();
  }

  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyRecordKindMatchesRocksJavasBatch() throws Exception {
    try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)) {
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.open(options, dir.toString(), List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
          new ColumnFamilyDescriptor(b("second"))), handles)) {
        ColumnFamilyHandle second = handles.get(1);
        Random random = new Random(17);
        byte[] longKey = new byte[300];
        byte[] longValue = new byte[70_000];
        random.nextBytes(longKey);
        random.nextBytes(longValue);
        BatchEncoder mine = new BatchEncoder(16);
        try (WriteBatch theirs = new WriteBatch()) {
          mine.deleteRange(0, b("a"), b("c"));
          theirs.deleteRange(b("a"), b("c"));
          mine.put(0, b("k1"), b("v1"));
          theirs.put(b("k1"), b("v1"));
          mine.put(0, longKey, longValue);
          theirs.put(longKey, longValue);
          mine.put(0, b("empty"), new byte[0]);
          theirs.put(b("empty"), new byte[0]);
          mine.delete(0, b("gone"));
          theirs.delete(b("gone"));
          mine.put(second.getID(), b("m1"), b("w1"));
          theirs.put(second, b("m1"), b("w1"));
          mine.delete(second.getID(), b("m2"));
          theirs.delete(second, b("m2"));
          mine.deleteRange(second.getID(), b("x"), b("y"));
          theirs.deleteRange(second, b("x"), b("y"));

          long size = BatchEncoder.headerSize() + BatchEncoder.size(0, 1, 1)
              + BatchEncoder.size(0, 2, 2) + BatchEncoder.size(0, longKey.length, longValue.length)
              + BatchEncoder.size(0, 5, 0) + BatchEncoder.size(0, 4, -1)
              + BatchEncoder.size(second.getID(), 2, 2) + BatchEncoder.size(second.getID(), 2, -1)
              + BatchEncoder.size(second.getID(), 1, 1);
          BatchEncoder exact = new BatchEncoder(size);
          exact.deleteRange(0, b("a"), b("c"));
          exact.put(0, b("k1"), b("v1"));
          exact.put(0, longKey, longValue);
          exact.put(0, b("empty"), new byte[0]);
          exact.delete(0, b("gone"));
          exact.put(second.getID(), b("m1"), b("w1"));
          exact.delete(second.getID(), b("m2"));
          exact.deleteRange(second.getID(), b("x"), b("y"));
          byte[] exactBytes = exact.bytes();
          assertThat(exactBytes).hasSize((int) size).isEqualTo(mine.bytes());
          assertThat(exact.bytes()).as("an exactly sized encoder hands over its buffer").isSameAs(exactBytes);
          assertThat(second.getID()).isNotZero();
          assertThat(mine.count()).isEqualTo(theirs.count()).isEqualTo(8);
          assertThat(mine.bytes()).isEqualTo(theirs.data());
        }

        db.put(b("b"), b("inside the cleared range"));
        db.put(b("gone"), b("deleted by the batch"));
        db.put(second, b("m2"), b("deleted by the batch"));
        db.put(second, b("x1"), b("inside the cleared range"));
        try (WriteBatch batch = mine.toBatch(); WriteOptions write = new WriteOptions()) {
          db.write(write, batch);
        }
        assertThat(db.get(b("b"))).isNull();
        assertThat(db.get(b("gone"))).isNull();
        assertThat(db.get(b("k1"))).isEqualTo(b("v1"));
        assertThat(db.get(longKey)).isEqualTo(longValue);
        assertThat(db.get(b("empty"))).isEmpty();
        assertThat(db.get(second, b("m1"))).isEqualTo(b("w1"));
        assertThat(db.get(second, b("m2"))).isNull();
        assertThat(db.get(second, b("x1"))).isNull();
        assertThat(db.get(b("m1"))).isNull();
        for (ColumnFamilyHandle h : handles) {
          h.close();
        }
      }
    }
  }
}
