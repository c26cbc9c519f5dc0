package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineProvider;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of options and provider settings; needs no server. */
class JdbcEngineOptionsTest {

  private static JdbcEngineOptions.Builder pg() {
    return JdbcEngineOptions.builder().jdbcUrl("jdbc:postgresql://localhost/test");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    JdbcEngineOptions o = pg().build();
    assertThat(o.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(o.table()).isEqualTo("tito_kv");
    assertThat(o.schema()).isNull();
    assertThat(o.poolSize()).isEqualTo(24);
    assertThat(o.systemPoolSize()).isEqualTo(2);
    assertThat(o.pageSize()).isEqualTo(256);
    assertThat(o.connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.maxTransactionAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.gcInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.migrate()).isTrue();
    assertThat(o.notifications()).isTrue();
    assertThat(o.limits()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Tito", "1tito", "tito-kv", "tito kv", "t\"x", "t`x", "kv; DROP TABLE x",
      "tito_kv_with_a_name_that_is_much_too_long_for_any_identifier_limit_x"})
  void unsafeTableNamesAreRejected(String name) {
    assertThatThrownBy(() -> pg().table(name).build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> pg().schema(name).build()).isInstanceOf(InvalidArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tito_kv", "_x", "kv2", "select"})
  void safeNamesAreAccepted(String name) {
    assertThat(pg().table(name).schema(name).build().table()).isEqualTo(name);
  }

  @Test
  void exactlyOneOfUrlAndDataSource() {
    assertThatThrownBy(() -> JdbcEngineOptions.builder().build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> pg().dataSource(new org.postgresql.ds.PGSimpleDataSource()).build())
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void dialectComesFromTheUrl() {
    assertThat(JdbcEngineOptions.builder().jdbcUrl("jdbc:mariadb://h/db").build().dialect()).isEqualTo(SqlDialect.MARIADB);
    assertThat(JdbcEngineOptions.builder().jdbcUrl("jdbc:mysql://h/db").build().dialect()).isEqualTo(SqlDialect.MARIADB);
    assertThatThrownBy(() -> JdbcEngineOptions.builder().jdbcUrl("jdbc:h2:mem:x").build())
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void numbersAndLimitsAreChecked() {
    assertThatThrownBy(() -> pg().poolSize(0).build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> pg().pageSize(0).build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> pg().maxTransactionAge(Duration.ZERO).build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> pg().limits(new EngineLimits(4096, 1024, 1 << 20)).build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("maxKeySize");
    assertThat(pg().limits(new EngineLimits(2048, 1024, 1 << 20)).build().limits().maxKeySize()).isEqualTo(2048);
  }

  @Test
  void theCanonicalConstructorValidatesAndNamesTheSetting() {
    JdbcEngineOptions ok = pg().build();
    assertThat(new JdbcEngineOptions(ok.jdbcUrl(), null, null, null, null, null, "kv", 5, 1,
        Duration.ofSeconds(1), 10, null, Duration.ofMinutes(1), Duration.ofMinutes(1), true, true)
        .dialect()).as("dialect taken from the URL").isEqualTo(SqlDialect.POSTGRESQL);
    Object[][] bad = {
        {"poolSize", ok.toBuilder().poolSize(0)},
        {"systemPoolSize", ok.toBuilder().systemPoolSize(-1)},
        {"pageSize", ok.toBuilder().pageSize(-5)},
        {"connectionTimeout", ok.toBuilder().connectionTimeout(null)},
        {"maxTransactionAge", ok.toBuilder().maxTransactionAge(Duration.ofSeconds(-1))},
        {"gcInterval", ok.toBuilder().gcInterval(Duration.ZERO)},
        {"table", ok.toBuilder().table("Bad-Name")},
        {"schema", ok.toBuilder().schema("1x")},
        {"jdbcUrl", ok.toBuilder().jdbcUrl("jdbc:h2:mem:x").dialect(null)},
        {"jdbcUrl/dataSource", ok.toBuilder().jdbcUrl(null)},
        {"limits.maxKeySize", ok.toBuilder().limits(new EngineLimits(4096, 1024, 1 << 20))},
    };
    for (Object[] c : bad) {
      JdbcEngineOptions.Builder b = (JdbcEngineOptions.Builder) c[1];
      assertThatThrownBy(b::build).as("setting %s", c[0]).isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("setting=" + c[0]);
    }
    // The record's own constructor, not only the builder, refuses a bad value.
    assertThatThrownBy(() -> new JdbcEngineOptions(ok.jdbcUrl(), null, null, null, null, null, "kv",
        0, 1, Duration.ofSeconds(1), 10, null, Duration.ofMinutes(1), Duration.ofMinutes(1), true, true))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("setting=poolSize");
  }

  @Test
  void passwordsStayOutOfToString() {
    assertThat(pg().password("s3cret").build().toString()).doesNotContain("s3cret");
  }

  @Test
  void providersAreRegisteredByName() {
    Map<String, EngineProvider> providers = ServiceLoader.load(EngineProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .collect(Collectors.toMap(EngineProvider::name, p -> p, (x, y) -> x));
    assertThat(providers).containsKeys("postgresql", "mariadb");
  }

  @Test
  void providerSettingsAreParsedAndUnknownOnesRejected() {
    JdbcEngineOptions o = JdbcSettings.parse(SqlDialect.POSTGRESQL, Map.of("url", "jdbc:postgresql://h/db",
        "table", "kv", "poolSize", "3", "systemPoolSize", "0", "pageSize", "17", "maxKeySize", "1000",
        "migrate", "false"));
    assertThat(o.systemPoolSize()).isZero();
    assertThat(o.table()).isEqualTo("kv");
    assertThat(o.poolSize()).isEqualTo(3);
    assertThat(o.pageSize()).isEqualTo(17);
    assertThat(o.limits().maxKeySize()).isEqualTo(1000);
    assertThat(o.migrate()).isFalse();
    assertThatThrownBy(() -> JdbcSettings.parse(SqlDialect.POSTGRESQL, Map.of("url", "jdbc:postgresql://h/db", "tabel", "x")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown");
    assertThatThrownBy(() -> JdbcSettings.parse(SqlDialect.POSTGRESQL, Map.of("url", "jdbc:mariadb://h/db")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> JdbcSettings.parse(SqlDialect.MARIADB, Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> JdbcSettings.parse(SqlDialect.MARIADB, Map.of("url", "jdbc:mariadb://h/db", "poolSize", "x")))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void aJdbcUrlKeepsDriverParametersAndGivesEngineSettingsToTheEngine() {
    assertThat(JdbcSettings.fromUrl("jdbc:postgresql://h:5432/db?table=t&sslmode=require&poolSize=3"))
        .containsEntry("table", "t").containsEntry("poolSize", "3")
        .containsEntry("url", "jdbc:postgresql://h:5432/db?sslmode=require").hasSize(3);
    assertThat(JdbcSettings.fromUrl("jdbc:mariadb://h/db")).containsExactly(
        java.util.Map.entry("url", "jdbc:mariadb://h/db"));
    assertThat(new PostgresEngineProvider().opens("jdbc:postgresql://h/db")).isTrue();
    assertThat(new PostgresEngineProvider().opens("jdbc:mariadb://h/db")).isFalse();
    assertThat(new MariaDbEngineProvider().opens("jdbc:mysql://h/db")).isTrue();
  }

  @Test
  void theFrontDoorOpensAPostgresStoreFromOneUrl() {
    String table = TestDatabases.freshTable();
    JdbcEngineOptions o = TestDatabases.options(SqlDialect.POSTGRESQL).build();
    String url = o.jdbcUrl() + (o.jdbcUrl().contains("?") ? "&" : "?") + "table=" + table
        + "&user=" + o.user() + (o.password() == null ? "" : "&password=" + o.password());
    try (io.tito.Tito tito = io.tito.Tito.open(url)) {
      JdbcEngine engine = (JdbcEngine) tito.engine();
      assertThat(engine.dialect()).isEqualTo(SqlDialect.POSTGRESQL);
      assertThat(engine.options().table()).isEqualTo(table);
      tito.inTransaction(tx -> tx.set(new byte[] {1}, new byte[] {2}));
      byte[] v = tito.read(tx -> tx.get(new byte[] {1}));
      assertThat(v).containsExactly(2);
    } finally {
      TestDatabases.dropStore(SqlDialect.POSTGRESQL, null, table);
    }
  }
}
