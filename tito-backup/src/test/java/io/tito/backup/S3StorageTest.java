package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.StorageException;
import io.tito.memory.MemoryEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@link S3Storage} against an S3-compatible server started in this JVM ({@link S3Server}): the
 * storage contract (visibility, names, missing files, multipart), retries of transient failures,
 * and backups, verification, listing, point-in-time restore and retention through it.
 */
class S3StorageTest {

  private static S3Server server;
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private final List<MemoryEngine> engines = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = new S3Server();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void close() {
    engines.forEach(MemoryEngine::close);
  }

  private static S3Storage storage(String prefix) {
    String bucket = server.bucket("tito-backup-" + BUCKETS.incrementAndGet());
    return S3Storage.builder(server.client(), bucket).prefix(prefix).build();
  }

  private MemoryEngine engine() {
    MemoryEngine e = new MemoryEngine();
    engines.add(e);
    return e;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void filesAppearOnlyWhenClosedAndReadBackEqual() throws Exception {
    S3Storage s = storage("backups/");
    OutputStream out = s.create("b1", "chunk-000000.gz");
    out.write(b("hello "));
    assertThat(s.files("b1")).as("not visible while written").isEmpty();
    out.write(b("world"));
    out.close();
    assertThat(s.files("b1")).containsExactly("chunk-000000.gz");
    assertThat(s.backupIds()).containsExactly("b1");
    try (InputStream in = s.open("b1", "chunk-000000.gz")) {
      assertThat(in.readAllBytes()).isEqualTo(b("hello world"));
    }
    assertThatThrownBy(() -> s.create("b1", "chunk-000000.gz")).isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> s.open("b1", "nope")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> s.open("b1", "../x")).isInstanceOf(InvalidArgumentException.class);
    s.delete("b1");
    assertThat(s.backupIds()).isEmpty();
    assertThat(s.files("b1")).isEmpty();
  }

  @Test
  void aBigFileIsAMultipartUploadAndReadsBackEqual() throws Exception {
    S3Storage s = storage("");
    byte[] data = random(S3Storage.MIN_PART_BYTES * 2 + 12_345, 7);
    try (OutputStream out = s.create("big", "chunk-000000.gz")) {
      for (int off = 0; off < data.length; off += 100_000) {
        out.write(data, off, Math.min(100_000, data.length - off));
      }
    }
    try (InputStream in = s.open("big", "chunk-000000.gz")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    var uploads = server.client().listMultipartUploads(r -> r.bucket(bucketOf(s))).uploads();
    assertThat(uploads).as("no multipart upload left open").isEmpty();
  }

  @Test
  void transientFailuresAreRetriedAndPersistentOnesReported() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    S3Client flaky = new DelegatingS3Client(server.client()) {
      @Override
      public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if (failuresLeft.getAndDecrement() > 0) {
          throw SdkClientException.create("connection reset (injected)");
        }
        return super.putObject(request, body);
      }

      @Override
      public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
        if (failuresLeft.getAndDecrement() > 0) {
          throw SdkClientException.create("connection reset (injected)");
        }
        return super.uploadPart(request, body);
      }
    };
    String bucket = server.bucket("tito-backup-flaky");
    S3Storage s = S3Storage.builder(flaky, bucket).attempts(3).partBytes(S3Storage.MIN_PART_BYTES).build();
    try (OutputStream out = s.create("b", "small")) {
      out.write(b("abc"));
    }
    assertThat(s.open("b", "small").readAllBytes()).isEqualTo(b("abc"));

    failuresLeft.set(2);
    byte[] data = random(S3Storage.MIN_PART_BYTES + 10, 3);
    try (OutputStream out = s.create("b", "multi")) {
      out.write(data);
    }
    assertThat(s.open("b", "multi").readAllBytes()).isEqualTo(data);

    failuresLeft.set(100);
    OutputStream out = s.create("b", "never");
    out.write(b("x"));
    assertThatThrownBy(out::close).hasMessageContaining("failed after 3 attempts");
    assertThat(s.files("b")).containsExactly("multi", "small");
    failuresLeft.set(100);
    OutputStream big = s.create("b", "never-big");
    assertThatThrownBy(() -> big.write(data)).hasMessageContaining("failed after 3 attempts");
    assertThat(server.client().listMultipartUploads(r -> r.bucket(bucket)).uploads())
        .as("a failed multipart upload is aborted").isEmpty();
    assertThat(s.files("b")).containsExactly("multi", "small");
  }

  @Test
  void aBodyThatDoesNotMatchItsMd5IsRejectedByTheServerAndNotStored() throws Exception {
    S3Client corrupting = new DelegatingS3Client(server.client()) {
      @Override
      public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        byte[] damaged = b("damaged on the way");
        return super.putObject(request.toBuilder().contentLength((long) damaged.length).build(),
            RequestBody.fromBytes(damaged)); // the original Content-MD5 header is kept
      }
    };
    String bucket = server.bucket("tito-backup-md5");
    S3Storage s = S3Storage.builder(corrupting, bucket).build();
    OutputStream out = s.create("b", "chunk-000000.gz");
    out.write(b("the real bytes"));
    assertThatThrownBy(out::close).isInstanceOf(java.io.IOException.class).hasMessageContaining("S3 upload");
    assertThat(s.files("b")).isEmpty();
  }

  @Test
  void backupsVerifyListRestoreAndRetentionThroughS3() {
    MemoryEngine source = engine();
    Backups backups = Backups.of(storage("tito/"));
    for (int i = 0; i < 2000; i++) {
      int n = i;
      commit(source, tx -> tx.set(b(String.format("k%05d", n)), random(100, n)));
    }
    BackupManifest full = backups.full(source);
    List<String> atFull = dump(source);
    commit(source, tx -> tx.clearRange(b("k00100"), b("k00200")));
    long middle = source.changeFeed().currentVersion();
    List<String> atMiddle = dump(source);
    commit(source, tx -> tx.set(b("late"), b("v")));
    BackupManifest incr = backups.incremental(source);
    BackupManifest full2 = backups.full(source);

    assertThat(backups.list()).extracting(BackupManifest::id).containsExactly(full.id(), incr.id(), full2.id());
    backups.verify(incr.id());

    MemoryEngine t1 = engine();
    backups.restore(RestorePoint.atVersion(full.toVersion()), t1);
    assertThat(dump(t1)).isEqualTo(atFull);
    MemoryEngine t2 = engine();
    backups.restore(RestorePoint.atVersion(middle), t2);
    assertThat(dump(t2)).isEqualTo(atMiddle);
    MemoryEngine t3 = engine();
    backups.restore(RestorePoint.latest(), t3);
    assertThat(dump(t3)).isEqualTo(dump(source));

    assertThat(backups.applyRetention(new RetentionPolicy(1, Duration.ZERO))).containsExactly(full.id(), incr.id());
    assertThat(backups.list()).extracting(BackupManifest::id).containsExactly(full2.id());
    backups.releaseHold(source);
  }

  @Test
  void aDamagedObjectIsReportedAndTheTargetLeftEmpty() {
    MemoryEngine source = engine();
    S3Storage s = storage("");
    Backups backups = Backups.of(s);
    commit(source, tx -> tx.set(b("a"), b("1")));
    BackupManifest full = backups.full(source);
    String key = full.id() + "/" + full.chunks().get(0).name();
    server.client().putObject(r -> r.bucket(bucketOf(s)).key(key), RequestBody.fromBytes(b("not gzip")));
    MemoryEngine target = engine();
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), target)).isInstanceOf(StorageException.class)
        .hasMessageContaining("backup is damaged").hasMessageContaining(full.chunks().get(0).name());
    assertThat(dump(target)).isEmpty();
    backups.releaseHold(source);
  }

  private static String bucketOf(S3Storage s) {
    String t = s.toString();
    return t.substring("S3Storage[".length(), t.indexOf('/'));
  }
}
