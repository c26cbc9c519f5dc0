package io.tito.internal.backup;

import io.tito.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The stream behind {@code S3Storage.create}: buffers one part; a file that fits in one part is
 * one PUT on close, a bigger one a multipart upload of parts of {@code partBytes} completed on
 * close. Every request carries the body's MD5 ({@code Content-MD5}), so the server rejects a body
 * damaged on the way, and the stored size is checked after a multipart upload. The object exists
 * only once the PUT or the completion succeeds; a failed stream aborts its multipart upload.
 * Not thread-safe (one writer).
 */
public final class S3Upload extends OutputStream {

  private final S3Client client;
  private final S3Retry retry;
  private final String bucket;
  private final String key;
  private final byte[] part;
  private final List<CompletedPart> parts = new ArrayList<>();
  private int filled;
  private long total;
  private String uploadId;
  private boolean closed;
  private boolean failed;

  public S3Upload(S3Client client, S3Retry retry, String bucket, String key, int partBytes) {
    this.client = client;
    this.retry = retry;
    this.bucket = bucket;
    this.key = key;
    this.part = new byte[partBytes];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("S3 upload stream is closed: " + key);
    }
    while (len > 0) {
      int n = Math.min(len, part.length - filled);
      System.arraycopy(b, off, part, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == part.length) {
        guarded(this::uploadPart);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (failed) {
      throw new IOException("S3 upload failed earlier; nothing was stored: " + key);
    }
    guarded(() -> {
      if (uploadId == null) {
        putWhole();
      } else {
        if (filled > 0) {
          uploadPart();
        }
        complete();
      }
    });
  }

  private void putWhole() {
    byte[] body = Arrays.copyOf(part, filled);
    String md5 = md5(body, body.length);
    retry.call("put object", context(), () -> client.putObject(
        b -> b.bucket(bucket).key(key).contentLength((long) body.length).contentMD5(md5), RequestBody.fromBytes(body)));
    total += filled;
    filled = 0;
  }

  private void uploadPart() {
    if (uploadId == null) {
      uploadId = retry.call("create multipart upload", context(),
          () -> client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId());
    }
    int number = parts.size() + 1;
    byte[] body = Arrays.copyOf(part, filled);
    String md5 = md5(body, body.length);
    String etag = retry.call("upload part", context(), () -> client.uploadPart(
        b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) body.length)
            .contentMD5(md5), RequestBody.fromBytes(body)).eTag());
    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    total += filled;
    filled = 0;
  }

  private void complete() {
    retry.call("complete multipart upload", context(), () -> client.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    long stored = retry.call("head object", context(), () -> client.headObject(b -> b.bucket(bucket).key(key)))
        .contentLength();
    if (stored != total) {
      throw new StorageException("S3 object has the wrong size after its multipart upload",
          Map.of("bucket", bucket, "key", key, "stored", stored, "written", total), null);
    }
  }

  /** Runs a step; on failure aborts the multipart upload (if any) and reports an IOException. */
  private void guarded(Runnable step) throws IOException {
    try {
      step.run();
    } catch (RuntimeException e) {
      failed = true;
      closed = true;
      abort();
      throw new IOException("S3 upload of " + key + " failed: " + e.getMessage(), e);
    }
  }

  private void abort() {
    if (uploadId == null) {
      return;
    }
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException e) {
      // the upload stays invisible; a bucket lifecycle rule for incomplete uploads reclaims it
    }
  }

  private Map<String, Object> context() {
    return Map.of("bucket", bucket, "key", key);
  }

  static String md5(byte[] b, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(b, 0, len);
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
  }
}
