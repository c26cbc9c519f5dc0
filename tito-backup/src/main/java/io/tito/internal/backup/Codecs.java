package io.tito.internal.backup;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.tito.InvalidArgumentException;
import io.tito.backup.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compresses and decompresses chunks; the codec of a chunk is its file name's suffix. Stateless. */
final class Codecs {

  private static final int ZSTD_LEVEL = 1;

  private Codecs() {}

  static String suffix(Compression c) {
    return c == Compression.ZSTD ? ".zst" : ".gz";
  }

  /** Fails early, before a backup starts, if the codec's library is missing. */
  static void requireAvailable(Compression c) {
    if (c == Compression.ZSTD) {
      try {
        Class.forName("com.github.luben.zstd.Zstd");
      } catch (ClassNotFoundException | LinkageError e) {
        throw new InvalidArgumentException("zstd compression needs com.github.luben:zstd-jni on the class or module path",
            Map.of("compression", c));
      }
    }
  }

  /** Writes {@code raw} gzip-compressed to {@code out}. */
  static void gzip(RecordBuffer raw, OutputStream out) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
      {
        // Fastest level: about three times the rate of the default for a few percent more bytes.
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
    gz.write(raw.array(), 0, raw.size());
    gz.finish();
    gz.flush();
  }

  /**
   * A zstd compression context and its output array, both reused from chunk to chunk (a new
   * context per chunk and a copy of input and output cost as much as a third of the compression
   * itself). One thread at a time; close it to free the native context.
   */
  static final class ZstdCompressor implements AutoCloseable {
    private final ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
    private byte[] out = new byte[0];

    /** Compresses {@code raw}; the result is {@link #output()} from 0 to the returned length. */
    int compress(RecordBuffer raw) {
      int bound = (int) Math.min(Integer.MAX_VALUE - 16L, Zstd.compressBound(raw.size()));
      if (out.length < bound) {
        out = new byte[bound];
      }
      return ctx.compressByteArray(out, 0, out.length, raw.array(), 0, raw.size());
    }

    byte[] output() {
      return out;
    }

    @Override
    public void close() {
      ctx.close();
    }
  }

  /**
   * The decompressed bytes of chunk {@code name}, expected to be {@code rawBytes} long.
   *
   * @throws IOException if they cannot be decompressed
   */
  static byte[] decompress(String name, byte[] stored, long rawBytes) throws IOException {
    if (name.endsWith(".zst")) {
      requireAvailable(Compression.ZSTD);
      if (rawBytes > Integer.MAX_VALUE - 16) {
        throw new IOException("chunk too large: " + rawBytes);
      }
      try {
        long size = Zstd.getFrameContentSize(stored);
        if (size != rawBytes) {
          throw new IOException("zstd frame holds " + size + " bytes, " + rawBytes + " expected");
        }
        return Zstd.decompress(stored, (int) rawBytes);
      } catch (RuntimeException e) {
        throw new IOException("zstd: " + e.getMessage(), e);
      }
    }
    try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(stored))) {
      return gz.readAllBytes();
    }
  }
}
