package io.tito.internal.docs;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The tenant archive file: a magic line ({@code TITO-TENANT-ARCHIVE-2}; version 1 files, without
 * the catalogue entry, are still read), the tenant name, its catalogue entry (JSON), then
 * (key length, key, value length, value) records of every key of the tenant, then {@code -1}.
 * Keys are the tenant's own (without prefix), so an archive restores into either layout.
 */
public final class TenantArchive {

  private static final byte[] MAGIC_1 = "TITO-TENANT-ARCHIVE-1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC_2 = "TITO-TENANT-ARCHIVE-2".getBytes(StandardCharsets.US_ASCII);
  /** Keys and values written per restore transaction, at most. */
  private static final int BATCH_BYTES = 1 << 20;
  private static final int BATCH_ENTRIES = 2000;

  private TenantArchive() {}

  /** The header of an archive: the tenant name and its catalogue entry (null in version 1). */
  public record Header(String name, String entry) {}

  /**
   * Writes every key of {@code view} (a tenant's engine) to {@code file}, read in one read-only
   * transaction; returns the number of entries.
   */
  public static long write(Engine view, Path file, String name, String entry) {
    EngineTransaction tx = view.begin(true);
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        KeyValueCursor c = tx.scan(KeyRange.ALL.begin(), KeyRange.ALL.end(), ScanOptions.FORWARD)) {
      out.write(MAGIC_2);
      out.writeUTF(name);
      byte[] e = entry.getBytes(StandardCharsets.UTF_8);
      out.writeInt(e.length);
      out.write(e);
      long n = 0;
      while (c.hasNext()) {
        KeyValue kv = c.next();
        out.writeInt(kv.key().length);
        out.write(kv.key());
        out.writeInt(kv.value().length);
        out.write(kv.value());
        n++;
      }
      out.writeInt(-1);
      return n;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      tx.close();
    }
  }

  /** Reads the header of {@code file}. */
  public static Header header(Path file) {
    try (DataInputStream in = open(file)) {
      return header(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes every record of {@code file} into {@code view} (which the caller has emptied), in
   * transactions of at most about a mebibyte; returns the number of entries. The file is checked
   * to be complete (ends with its end mark).
   */
  public static long restore(Path file, Engine view) {
    try (DataInputStream in = open(file)) {
      header(in);
      long n = 0;
      boolean end = false;
      while (!end) {
        EngineTransaction tx = view.begin(false);
        try {
          int bytes = 0;
          int entries = 0;
          while (bytes < BATCH_BYTES && entries < BATCH_ENTRIES) {
            int kl = in.readInt();
            if (kl == -1) {
              end = true;
              break;
            }
            byte[] key = read(in, kl);
            byte[] value = read(in, in.readInt());
            tx.set(key, value);
            bytes += key.length + value.length;
            entries++;
          }
          tx.commit();
          n += entries;
        } finally {
          tx.close();
        }
      }
      return n;
    } catch (EOFException e) {
      throw corrupt(file, "the file ends before its end mark");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream is = Files.newInputStream(file);
    return new DataInputStream(new BufferedInputStream(is));
  }

  private static Header header(DataInputStream in) throws IOException {
    byte[] magic = in.readNBytes(MAGIC_2.length);
    boolean v2 = Arrays.equals(magic, MAGIC_2);
    if (!v2 && !Arrays.equals(magic, MAGIC_1)) {
      throw new InvalidArgumentException("not a tenant archive", Map.of());
    }
    String name = in.readUTF();
    String entry = v2 ? new String(read(in, in.readInt()), StandardCharsets.UTF_8) : null;
    return new Header(name, entry);
  }

  private static byte[] read(DataInputStream in, int length) throws IOException {
    if (length < 0 || length > 64 << 20) {
      throw new InvalidArgumentException("tenant archive is corrupt: bad length",
          Map.of("length", length));
    }
    byte[] b = new byte[length];
    in.readFully(b);
    return b;
  }

  private static InvalidArgumentException corrupt(Path file, String why) {
    return new InvalidArgumentException("tenant archive is incomplete or corrupt: " + why,
        Map.of("file", file.toString()));
  }
}
