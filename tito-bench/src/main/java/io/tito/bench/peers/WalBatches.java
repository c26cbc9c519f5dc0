package io.tito.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the write batches a RocksDB database logged, in log order, from its write-ahead log
 * files ({@code NNNNNN.log} in the database directory), so that a benchmark can write exactly the
 * same bytes again through the raw API ({@code new WriteBatch(byte[])}).
 *
 * <p>Follows RocksDB's log format: 32 KiB blocks of records, each with a 7-byte header (CRC32C,
 * length, type) or an 11-byte one for recycled logs; a batch larger than what is left of a block
 * is split into first, middle and last fragments; a block's tail shorter than a header is
 * padding. Metadata records (compression type, timestamp sizes, and any type RocksDB marks as
 * safe to ignore) are skipped. Checksums are not verified: the logs are read after a clean close.
 */
final class WalBatches {

  private static final int BLOCK = 32 * 1024;
  private static final int FULL = 1;
  private static final int FIRST = 2;
  private static final int MIDDLE = 3;
  private static final int LAST = 4;
  private static final int RECYCLED_OFFSET = 4;
  private static final int LAST_RECYCLED = 8;

  private WalBatches() {}

  /** Every batch in the directory's log files, oldest log first; each is a batch's rep. */
  static List<byte[]> read(Path dbDir) throws IOException {
    List<Path> logs;
    try (Stream<Path> s = Files.list(dbDir)) {
      logs = s.filter(p -> p.getFileName().toString().matches("\\d+\\.log"))
          .sorted(Comparator.comparingLong(p -> Long.parseLong(
              p.getFileName().toString().replace(".log", ""))))
          .toList();
    }
    List<byte[]> batches = new ArrayList<>();
    for (Path log : logs) {
      readLog(Files.readAllBytes(log), batches);
    }
    return batches;
  }

  private static void readLog(byte[] data, List<byte[]> out) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    java.io.ByteArrayOutputStream pending = null;
    int pos = 0;
    while (pos < data.length) {
      int leftInBlock = BLOCK - pos % BLOCK;
      if (leftInBlock < 7) {
        pos += leftInBlock;
        continue;
      }
      int length = b.getShort(pos + 4) & 0xffff;
      int type = data[pos + 6] & 0xff;
      if (type == 0 && length == 0) {
        // preallocated, never written: the end of this log
        return;
      }
      boolean recycled = (type > LAST && type <= LAST_RECYCLED) || type == 11 || type == 131;
      int header = recycled ? 11 : 7;
      int kind = recycled ? type - RECYCLED_OFFSET : type;
      int start = pos + header;
      if (start + length > data.length) {
        return; // a torn tail
      }
      switch (kind) {
        case FULL -> out.add(slice(data, start, length));
        case FIRST -> {
          pending = new java.io.ByteArrayOutputStream();
          pending.write(data, start, length);
        }
        case MIDDLE -> {
          if (pending != null) {
            pending.write(data, start, length);
          }
        }
        case LAST -> {
          if (pending != null) {
            pending.write(data, start, length);
            out.add(pending.toByteArray());
            pending = null;
          }
        }
        default -> { } // metadata records
      }
      pos = start + length;
    }
  }

  private static byte[] slice(byte[] data, int start, int length) {
    byte[] r = new byte[length];
    System.arraycopy(data, start, r, 0, length);
    return r;
  }

  /** The number of entries a batch rep holds (its header's count). */
  static int count(byte[] rep) {
    return ByteBuffer.wrap(rep, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }
}
