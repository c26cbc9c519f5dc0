package io.tito.backup;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server in this JVM for the tests: S3Proxy (from Maven Central) over jclouds'
 * transient in-memory blob store, on a free loopback port, with signature v4 authentication.
 */
final class S3Server implements AutoCloseable {

  private static final String ID = "tito-test";
  private static final String SECRET = "tito-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;
  private final S3Client client;

  S3Server() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials(ID, SECRET).overrides(new Properties())
        .build(BlobStoreContext.class);
    proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ID, SECRET).build();
    proxy.start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) { // start() returns before Jetty listens
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
    client = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET)))
        .forcePathStyle(true)
        // S3Proxy 2.6 predates the SDK's streaming CRC trailers; Content-MD5 and SHA-256 still check bodies.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  S3Client client() {
    return client;
  }

  /** A new, empty bucket. */
  String bucket(String name) {
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    context.close();
  }
}
