package io.tito.backup;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.internal.backup.BackupNames;
import io.tito.internal.backup.S3Retry;
import io.tito.internal.backup.S3Upload;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups in an S3-compatible object store: file {@code name} of backup {@code id} is the object
 * {@code <prefix><id>/<name>} of one bucket. Needs {@code software.amazon.awssdk:s3} (an optional
 * dependency of this module) and the {@link S3Client} the application configures (endpoint,
 * region, credentials, HTTP client); the storage never closes it.
 *
 * <p>Writing: a file up to {@link Builder#partBytes} is one PUT, a bigger one a multipart upload
 * in parts of that size; every request carries the body's MD5 ({@code Content-MD5}) so the server
 * rejects a body damaged in transit, and an object appears only when its PUT or multipart
 * completion succeeds (a failed write aborts its upload; an abandoned one stays invisible, reclaim
 * it with a bucket lifecycle rule for incomplete multipart uploads). Reading returns the whole
 * object; restore and verify then check it against the manifest's SHA-256. Each request is
 * retried on transient failures (network, 5xx, 429, throttling) up to {@link Builder#attempts}
 * times with exponential backoff, on top of whatever retry strategy the client has.
 *
 * <p>S3-compatible servers that do not understand the AWS SDK's newer default checksums
 * (streaming CRC trailers) need the client built with
 * {@code requestChecksumCalculation(WHEN_REQUIRED)} and
 * {@code responseChecksumValidation(WHEN_REQUIRED)}; integrity is still checked as above.
 * Thread-safe.
 */
public final class S3Storage implements BackupStorage {

  /** The smallest part of a multipart upload S3 accepts (except the last): 5 MiB. */
  public static final int MIN_PART_BYTES = 5 << 20;

  /** The default part size of multipart uploads: 8 MiB. */
  public static final int DEFAULT_PART_BYTES = 8 << 20;

  /** The default number of attempts per request: 4. */
  public static final int DEFAULT_ATTEMPTS = 4;

  private static final int DELETE_BATCH = 1000;

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final int partBytes;
  private final S3Retry retry;
  private volatile boolean multiDelete = true;

  private S3Storage(Builder b) {
    this.client = b.client;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.partBytes = b.partBytes;
    this.retry = new S3Retry(b.attempts);
  }

  /**
   * A builder of storage in {@code bucket} through {@code client}.
   *
   * @throws InvalidArgumentException if either is null or the bucket name is blank
   */
  public static Builder builder(S3Client client, String bucket) {
    if (client == null || bucket == null || bucket.isBlank()) {
      throw new InvalidArgumentException("S3 storage needs a client and a bucket name",
          Map.of("bucket", String.valueOf(bucket), "client", String.valueOf(client)));
    }
    return new Builder(client, bucket);
  }

  @Override
  public List<String> backupIds() {
    return retry.call("list backups", Map.of("bucket", bucket, "prefix", prefix), () -> {
      List<String> out = new ArrayList<>();
      for (CommonPrefix p : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))
          .commonPrefixes()) {
        String id = p.prefix().substring(prefix.length(), p.prefix().length() - 1);
        if (!id.isEmpty()) {
          out.add(id);
        }
      }
      return out;
    });
  }

  @Override
  public List<String> files(String backupId) {
    String dir = dir(backupId);
    return retry.call("list backup files", Map.of("bucket", bucket, "prefix", dir), () -> {
      List<String> out = new ArrayList<>();
      for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir)).contents()) {
        String name = o.key().substring(dir.length());
        if (!name.isEmpty() && name.indexOf('/') < 0) {
          out.add(name);
        }
      }
      out.sort(null);
      return out;
    });
  }

  @Override
  public OutputStream create(String backupId, String name) {
    String key = key(backupId, name);
    if (exists(key)) {
      throw new AlreadyExistsException("backup file already exists", Map.of("bucket", bucket, "key", key));
    }
    return new S3Upload(client, retry, bucket, key, partBytes);
  }

  @Override
  public InputStream open(String backupId, String name) {
    String key = key(backupId, name);
    try {
      byte[] bytes = retry.call("get object", Map.of("bucket", bucket, "key", key),
          () -> client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
      return new ByteArrayInputStream(bytes);
    } catch (NoSuchKeyException e) {
      throw new NotFoundException("backup file is missing", Map.of("backup", backupId, "file", name, "bucket", bucket,
          "key", key));
    }
  }

  @Override
  public void delete(String backupId) {
    String dir = dir(backupId);
    List<ObjectIdentifier> keys = retry.call("list backup files", Map.of("bucket", bucket, "prefix", dir), () -> {
      List<ObjectIdentifier> out = new ArrayList<>();
      for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir)).contents()) {
        out.add(ObjectIdentifier.builder().key(o.key()).build());
      }
      return out;
    });
    for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
      List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH));
      if (!multiDelete) {
        deleteOneByOne(dir, batch);
        continue;
      }
      DeleteObjectsResponse r;
      try {
        r = retry.call("delete backup files", Map.of("bucket", bucket, "prefix", dir),
            () -> client.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())));
      } catch (AwsServiceException e) {
        if (e.statusCode() != 501) {
          throw e;
        }
        multiDelete = false; // a server without multi-object delete (or its checksum header)
        deleteOneByOne(dir, batch);
        continue;
      }
      if (r.hasErrors() && !r.errors().isEmpty()) {
        throw new io.tito.StorageException("backup files cannot be deleted", Map.of("bucket", bucket, "backup", backupId,
            "errors", r.errors().stream().map(e -> e.key() + ": " + e.code() + " " + e.message()).toList()), null);
      }
    }
  }

  private void deleteOneByOne(String dir, List<ObjectIdentifier> batch) {
    for (ObjectIdentifier o : batch) {
      retry.call("delete backup file", Map.of("bucket", bucket, "key", o.key()),
          () -> client.deleteObject(b -> b.bucket(bucket).key(o.key())));
    }
  }

  private boolean exists(String key) {
    try {
      retry.call("head object", Map.of("bucket", bucket, "key", key), () -> client.headObject(b -> b.bucket(bucket).key(key)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new io.tito.StorageException("S3 request failed: head object", Map.of("bucket", bucket, "key", key,
          "reason", String.valueOf(e.getMessage())), e);
    }
  }

  private String dir(String backupId) {
    return prefix + BackupNames.check(backupId, "backupId") + "/";
  }

  private String key(String backupId, String name) {
    return dir(backupId) + BackupNames.check(name, "file");
  }

  @Override
  public String toString() {
    return "S3Storage[" + bucket + "/" + prefix + "]";
  }

  /** Settings of an {@link S3Storage}; validated as they are set. Not thread-safe. */
  public static final class Builder {
    private final S3Client client;
    private final String bucket;
    private String prefix = "";
    private int partBytes = DEFAULT_PART_BYTES;
    private int attempts = DEFAULT_ATTEMPTS;

    private Builder(S3Client client, String bucket) {
      this.client = client;
      this.bucket = bucket;
    }

    /**
     * The key prefix under which backups live (default none); a non-empty prefix must end with
     * {@code /} and must not start with one.
     *
     * @throws InvalidArgumentException if it does not
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
        throw new InvalidArgumentException("S3 key prefix must be empty or end with '/' (and not start with one)",
            Map.of("prefix", prefix));
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Part size of multipart uploads, and the largest file sent in one PUT (default
     * {@link #DEFAULT_PART_BYTES}); {@link #MIN_PART_BYTES} to 512 MiB.
     *
     * @throws InvalidArgumentException if out of range
     */
    public Builder partBytes(int partBytes) {
      if (partBytes < MIN_PART_BYTES || partBytes > (512 << 20)) {
        throw new InvalidArgumentException("S3 part size must be 5 MiB to 512 MiB", Map.of("partBytes", partBytes));
      }
      this.partBytes = partBytes;
      return this;
    }

    /**
     * Attempts per request before a transient failure is reported (default
     * {@link #DEFAULT_ATTEMPTS}); 1 to 10.
     *
     * @throws InvalidArgumentException if out of range
     */
    public Builder attempts(int attempts) {
      if (attempts < 1 || attempts > 10) {
        throw new InvalidArgumentException("S3 attempts must be 1 to 10", Map.of("attempts", attempts));
      }
      this.attempts = attempts;
      return this;
    }

    /** The storage; the bucket must exist. */
    public S3Storage build() {
      return new S3Storage(this);
    }
  }
}
