package io.tito.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority, a server certificate for {@code 127.0.0.1} and {@code
 * localhost}, and a client certificate, made with the {@code openssl} command (PEM files, keys in
 * PKCS#8) in a directory of the caller's. A missing {@code openssl} fails the test.
 *
 * @param ca the CA certificate, to trust
 * @param server the server certificate, signed by the CA
 * @param serverKey its key
 * @param client a client certificate (common name {@code tito-client}), signed by the CA
 * @param clientKey its key
 * @param otherCa a second CA that signed nothing here: trusting it instead of {@code ca} fails
 */
record TestCertificates(Path ca, Path server, Path serverKey, Path client, Path clientKey, Path otherCa) {

  /** Makes the files in {@code dir}. */
  static TestCertificates create(Path dir) throws IOException, InterruptedException {
    Path ca = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    Path otherCa = dir.resolve("other-ca.pem");
    selfSigned(dir, ca, caKey, "tito-test-ca");
    selfSigned(dir, otherCa, dir.resolve("other-ca.key"), "tito-other-ca");
    Path server = dir.resolve("server.pem");
    Path serverKey = dir.resolve("server.key");
    signed(dir, ca, caKey, server, serverKey, "127.0.0.1",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    Path client = dir.resolve("client.pem");
    Path clientKey = dir.resolve("client.key");
    signed(dir, ca, caKey, client, clientKey, "tito-client", "extendedKeyUsage=clientAuth\n");
    return new TestCertificates(ca, server, serverKey, client, clientKey, otherCa);
  }

  private static void selfSigned(Path dir, Path cert, Path key, String name) throws IOException, InterruptedException {
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name);
  }

  private static void signed(Path dir, Path ca, Path caKey, Path cert, Path key, String name, String extensions)
      throws IOException, InterruptedException {
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, extensions, StandardCharsets.US_ASCII);
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("the openssl command is needed to make the TLS test certificates", e);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }
}
