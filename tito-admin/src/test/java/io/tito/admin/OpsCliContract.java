package io.tito.admin;

import static io.tito.admin.CliContract.runUrl;
import static io.tito.admin.CliContract.runWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tito.Tito;
import io.tito.admin.CliContract.Run;
import io.tito.admin.cli.ExitCodes;
import io.tito.data.DataStore;
import io.tito.data.IndexState;
import io.tito.docs.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tenants, backup, log and {@code models build --models} commands against a real store;
 * subclasses choose the engine.
 */
abstract class OpsCliContract {

  abstract String freshUrl();

  Fixture fx;
  final List<String> stores = new ArrayList<>();
  final List<Path> dirs = new ArrayList<>();

  @BeforeEach
  void open() {
    fx = new Fixture(fresh()).withWork();
  }

  @AfterEach
  void close() {
    fx.close();
    for (String url : stores) {
      Stores.drop(url);
      Stores.deleteDir(url);
    }
    dirs.forEach(OpsFiles::delete);
  }

  String fresh() {
    String url = freshUrl();
    stores.add(url);
    return url;
  }

  Path dir(Path d) {
    dirs.add(d);
    return d;
  }

  Run run(String... args) {
    return runWith(fx.tito, args);
  }

  @Test
  void tenantsEnsureListStatusArchiveDrop() {
    Run ensure = run("tenants", "ensure", "acme", "--definition-version", "2");
    assertThat(ensure.code()).as(ensure.err()).isZero();
    assertThat(ensure.out()).contains("ensured tenant acme", "definition version 2");
    assertThat(run("tenants", "ensure", "acme").code()).as("idempotent").isZero();
    assertThat(run("tenants", "ensure", "globex", "--json").json().get("name").asText())
        .isEqualTo("globex");
    try (Tenants t = Tenants.of(fx.tito, n -> List.of(), 2)) {
      Tito acme = t.open("acme");
      acme.inTransaction(tx -> tx.set(acme.root().pack("k", 1), Fixture.bytes("v")));
    }

    JsonNode list = run("tenants", "list", "--json").json();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("name").asText()).isEqualTo("acme");
    assertThat(list.get(0).get("definitionVersion").asLong()).isEqualTo(2);
    assertThat(run("tenants", "list").out()).contains("TENANT", "acme", "globex");
    assertThat(run("tenants", "status", "acme", "--json").json().get("lagging").asBoolean())
        .isFalse();
    assertThat(run("tenants", "status", "acme", "--definition-version", "3", "--json").json()
        .get("lagging").asBoolean()).isTrue();

    Path file = dir(OpsFiles.tempDir("tito-admin-archive-")).resolve("acme.archive");
    JsonNode archived = run("tenants", "archive", "acme", "--to", file.toString(), "--json").json();
    assertThat(archived.get("entries").asLong()).isEqualTo(1);
    assertThat(file).exists();
    Run again = run("tenants", "archive", "acme", "--to", file.toString());
    assertThat(again.code()).as("never overwritten").isEqualTo(ExitCodes.USAGE);

    Run unforced = run("tenants", "drop", "acme");
    assertThat(unforced.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unforced.err()).contains("force");
    assertThat(run("tenants", "status", "acme").code()).as("still there").isZero();
    assertThat(run("tenants", "drop", "acme", "--force").code()).isZero();
    assertThat(run("tenants", "status", "acme").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run("tenants", "drop", "acme", "--force").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run("tenants", "list", "--json").json()).hasSize(1);

    Run restored = run("tenants", "restore", file.toString());
    assertThat(restored.code()).as(restored.err()).isZero();
    assertThat(restored.out()).contains("restored tenant acme", "definition version 2");
    assertThat(run("tenants", "restore", file.toString()).code()).as("exists")
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("tenants", "restore", file.toString(), "--as", "acme2", "--json").json()
        .get("name").asText()).isEqualTo("acme2");
    try (Tenants t = Tenants.of(fx.tito, n -> List.of(), 2)) {
      for (String name : List.of("acme", "acme2")) {
        Tito back = t.open(name);
        byte[] value = back.read(tx -> tx.get(back.root().pack("k", 1)));
        assertThat(value).as(name).isEqualTo(Fixture.bytes("v"));
      }
    }
    assertThat(run("tenants", "restore", file.resolveSibling("nope.archive").toString()).code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("tenants", "ensure", "bad name!").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("tenants", "archive", "globex").code()).as("no --to").isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void documentCollectionsAndIndexesOfTheStoreAndOfATenant() {
    OpsFiles.tenantWithDocuments(fx.tito, "acme");
    JsonNode collections = run("documents", "collections", "--tenant", "acme", "--json").json();
    assertThat(collections).hasSize(1);
    assertThat(collections.get(0).get("table").asText()).isEqualTo("people");
    assertThat(collections.get(0).get("indexes").get("by_city").asText()).isEqualTo("READABLE");
    assertThat(run("documents", "collections", "--tenant", "acme").out())
        .contains("COLLECTION", "people");
    assertThat(run("documents", "indexes", "people", "--tenant", "acme").out())
        .contains("by_city", "READABLE");
    assertThat(run("documents", "collections", "--json").json()).as("not the tenant's").isEmpty();
    assertThat(run("documents", "indexes", "people").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run("documents", "collections", "--tenant", "nope").code())
        .isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void backupFullIncrementalListVerifyAndRestoreToVersionAndLatest() {
    Path backups = dir(OpsFiles.tempDir("tito-admin-backups-"));
    String d = backups.toString();
    Run full = run("backup", "create", "--dir", d);
    assertThat(full.code()).as(full.err()).isZero();
    assertThat(full.out()).startsWith("full backup ");
    assertThat(full.err()).as("progress bar").contains("chunks", "records");
    JsonNode first = run("backup", "list", "--dir", d, "--json").json().get("backups").get(0);
    long fullVersion = first.get("toVersion").asLong();
    assertThat(first.get("kind").asText()).isEqualTo("FULL");

    fx.tito.module(DataStore.class).store(Fixture.CUSTOMERS)
        .insert(new Fixture.Customer("c4", "Rome"));
    JsonNode incr = run("backup", "create", "--dir", d, "--incremental", "--json").json();
    assertThat(incr.get("kind").asText()).isEqualTo("INCREMENTAL");
    assertThat(incr.get("parent").asText()).isEqualTo(first.get("id").asText());

    JsonNode list = run("backup", "list", "--dir", d, "--json").json();
    assertThat(list.get("backups")).hasSize(2);
    assertThat(list.get("incomplete")).isEmpty();
    assertThat(run("backup", "list", "--dir", d).out()).contains("FULL", "INCREMENTAL");
    JsonNode verified = run("backup", "verify", "--dir", d, "--json").json().get("verified");
    assertThat(verified).hasSize(2);
    Run verifyFull = run("backup", "verify", "--dir", d, first.get("id").asText());
    assertThat(verifyFull.out()).contains("chain of 1 backup");

    String atFull = fresh();
    Run restored = run("backup", "restore", "--dir", d, "--to", atFull,
        "--version", Long.toString(fullVersion));
    assertThat(restored.code()).as(restored.err()).isZero();
    assertThat(restored.out()).contains("restored version " + fullVersion);
    assertThat(customers(atFull)).isEqualTo(3);
    String latest = fresh();
    JsonNode r = run("backup", "restore", "--dir", d, "--to", latest, "--json").json();
    assertThat(r.get("chain")).hasSize(2);
    assertThat(customers(latest)).isEqualTo(4);

    Run notEmpty = run("backup", "restore", "--dir", d, "--to", latest);
    assertThat(notEmpty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notEmpty.err()).contains("empty");
    assertThat(run("backup", "restore", "--dir", d, "--to", latest, "--version", "1",
        "--time", "2026-01-01T00:00:00Z").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("backup", "list").code()).as("no --dir").isEqualTo(ExitCodes.USAGE);
    assertThat(run("backup", "list", "--dir", backups.resolve("nope").toString()).code())
        .isEqualTo(ExitCodes.USAGE);
    Path empty = dir(OpsFiles.tempDir("tito-admin-nobackups-"));
    assertThat(run("backup", "verify", "--dir", empty.toString()).code())
        .isEqualTo(ExitCodes.NOT_FOUND);
  }

  private static long customers(String url) {
    try (Tito t = Tito.builder().url(url).with(DataStore.models(Fixture.CUSTOMERS)).build()) {
      var store = t.module(DataStore.class).store(Fixture.CUSTOMERS);
      return List.of("c1", "c2", "c3", "c4").stream().filter(store::exists).count();
    }
  }

  @Test
  void logStatusReadAndTail() {
    Path log = dir(OpsFiles.knownLog());
    JsonNode status = run("log", "status", log.toString(), "--json").json();
    assertThat(status.get("endOffset").asLong()).isEqualTo(5);
    assertThat(status.get("oldestOffset").asLong()).isZero();
    assertThat(status.get("segments")).hasSize(1);
    assertThat(status.get("segments").get(0).get("active").asBoolean()).isTrue();
    assertThat(status.get("consumers").get(0).get("id").asText()).isEqualTo("audit");
    assertThat(status.get("consumers").get(0).get("checkpoint").asLong()).isEqualTo(2);
    assertThat(status.get("consumers").get(0).get("lag").asLong()).isEqualTo(3);
    assertThat(run("log", "status", log.toString()).out())
        .contains("offsets 0 to 5", "SEGMENT", "CONSUMER", "audit");
    Run noStore = runUrl("log", "status", log.toString());
    assertThat(noStore.code()).as("a log needs no store: " + noStore.err()).isZero();

    JsonNode read = run("log", "read", log.toString(), "--from", "1", "--limit", "2", "--json")
        .json();
    assertThat(read).hasSize(2);
    assertThat(read.get(0).get("offset").asLong()).isEqualTo(1);
    assertThat(read.get(1).get("payload").asText()).isEqualTo("r2");
    JsonNode tail = run("log", "tail", log.toString(), "-n", "2", "--json").json();
    assertThat(tail).hasSize(2);
    assertThat(tail.get(0).get("payload").asText()).isEqualTo("r3");
    assertThat(tail.get(1).get("payloadBase64").asText()).isEqualTo("/wD+");
    assertThat(run("log", "tail", log.toString()).out()).contains("r0", "base64:/wD+");

    assertThat(run("log", "status", log.resolve("nope").toString()).code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("log", "read", log.toString(), "--from", "9").code())
        .as("beyond the end").isEqualTo(ExitCodes.USAGE);
    assertThat(run("log", "read", log.toString(), "--limit", "0").code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("log", "status").code()).as("no directory").isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void modelsBuildByUrlWithTheApplicationsModelDefinitions() {
    fx.close(); // RocksDB allows one open store per directory
    Run build = runUrl("--url", fx.url, "models", "build", "customers", "by_city",
        "--models", TestModels.class.getName());
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.out()).contains("READABLE", "3 records");
    assertThat(build.err()).as("progress bar").contains("building customers/by_city");
    Run indexes = runUrl("--url", fx.url, "models", "indexes", "customers", "--json");
    assertThat(indexes.json().get("indexes").get("by_city").asText())
        .isEqualTo(IndexState.READABLE.name());
    try (Tito t = Tito.builder().url(fx.url).with(DataStore.models(Fixture.CUSTOMERS)).build()) {
      assertThat(t.module(DataStore.class).store(Fixture.CUSTOMERS).count("by_city", "Oslo"))
          .isEqualTo(2);
    }

    Run missing = runUrl("--url", fx.url, "models", "build", "customers", "by_city",
        "--models", "com.example.NoSuchModels");
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("not found");
    assertThat(runUrl("--url", fx.url, "models", "build", "customers", "by_city",
        "--models", "java.lang.String").err()).contains("must implement");
    assertThat(runUrl("--url", fx.url, "models", "build", "customers", "by_city",
        "--models", TestModels.class.getName(), "--classpath", "/no/such.jar").code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(runUrl("--url", fx.url, "models", "build", "customers", "by_city",
        "--classpath", "x.jar").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("models", "build", "customers", "by_city", "--models",
        TestModels.class.getName()).code()).as("embedded store has its models already")
        .isEqualTo(ExitCodes.USAGE);
  }
}
