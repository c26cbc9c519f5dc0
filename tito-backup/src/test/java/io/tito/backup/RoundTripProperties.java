package io.tito.backup;

import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.Capability;
import io.tito.spi.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trips of random histories: sets, point clears and range clears over a small key space,
 * with full and incremental backups taken in between. Restoring at any point a chain reaches
 * gives exactly the state the history had there: at every version for feeds with every commit,
 * at backup boundaries for net-change feeds, at the full backup for engines without a feed.
 * Subclasses give the engines; the number of tries comes from their {@code @PropertyDefaults}.
 */
abstract class RoundTripProperties {

  /** A new, empty engine; the property closes it. */
  protected abstract Engine createEngine();

  /** One step of a history. */
  sealed interface Step permits Set, Clear, ClearRange, Full, Incremental {}

  record Set(int key, int value) implements Step {}

  record Clear(int key) implements Step {}

  record ClearRange(int from, int to) implements Step {}

  record Full() implements Step {}

  record Incremental() implements Step {}

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> set = Combinators.combine(Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 999))
        .as(Set::new);
    Arbitrary<Step> clear = Arbitraries.integers().between(0, 30).map(Clear::new);
    Arbitrary<Step> range = Combinators.combine(Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 10))
        .as((a, n) -> new ClearRange(a, a + n));
    Arbitrary<Step> full = Arbitraries.just(new Full());
    Arbitrary<Step> incremental = Arbitraries.just(new Incremental());
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, set), net.jqwik.api.Tuple.of(3, clear), net.jqwik.api.Tuple.of(2, range),
        net.jqwik.api.Tuple.of(1, full), net.jqwik.api.Tuple.of(3, incremental))
        .list().ofMinSize(1).ofMaxSize(40);
  }

  private static byte[] key(int k) {
    return String.format("key/%03d", k).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Property
  void restoringAtAnyReachablePointGivesTheStateOfThatPoint(@ForAll("histories") List<Step> history)
      throws IOException {
    Path dir = Files.createTempDirectory("tito-backup-prop");
    List<Engine> engines = new ArrayList<>();
    try {
      Engine source = createEngine();
      engines.add(source);
      boolean feed = source.capabilities().contains(Capability.CHANGE_FEED);
      Backups backups = Backups.of(LocalDirectoryStorage.in(dir));
      List<long[]> points = new ArrayList<>(); // {version}
      List<List<String>> states = new ArrayList<>();
      boolean haveFull = false;
      // Versions between backups become reachable once an incremental covers them; a full backup
      // moves the set's hold past them, so those not covered by then stay unreachable.
      List<long[]> pendingPoints = new ArrayList<>();
      List<List<String>> pendingStates = new ArrayList<>();
      List<Step> steps = new ArrayList<>(history);
      steps.add(new Incremental());
      for (Step step : steps) {
        switch (step) {
          case Set s -> commit(source, tx -> tx.set(key(s.key()), Integer.toString(s.value()).getBytes()));
          case Clear c -> commit(source, tx -> tx.clear(key(c.key())));
          case ClearRange r -> commit(source, tx -> tx.clearRange(key(r.from()), key(r.to())));
          case Full f -> {
            BackupManifest m = backups.full(source);
            haveFull = true;
            pendingPoints.clear();
            pendingStates.clear();
            points.add(new long[] {m.toVersion()});
            states.add(dump(source));
          }
          case Incremental i -> {
            if (feed && haveFull) {
              BackupManifest m = backups.incremental(source);
              points.addAll(pendingPoints);
              states.addAll(pendingStates);
              pendingPoints.clear();
              pendingStates.clear();
              points.add(new long[] {m.toVersion()});
              states.add(dump(source));
            }
          }
        }
        if (feed && source.changeFeed().everyCommit() && haveFull && !(step instanceof Full)
            && !(step instanceof Incremental)) {
          pendingPoints.add(new long[] {source.changeFeed().currentVersion()});
          pendingStates.add(dump(source));
        }
      }
      if (!haveFull || !feed) {
        BackupManifest m = backups.full(source);
        points.add(new long[] {m.toVersion()});
        states.add(dump(source));
      }
      List<String> last = dump(source);
      for (int i = 0; i < points.size(); i++) {
        long version = points.get(i)[0];
        if (!feed && i != points.size() - 1) {
          continue; // unversioned full backups: only the latest is reachable by "latest"
        }
        Engine target = createEngine();
        engines.add(target);
        if (feed) {
          backups.restore(RestorePoint.atVersion(version), target);
        } else {
          backups.restore(RestorePoint.latest(), target);
        }
        assertThat(dump(target)).as("state at version %s", version).isEqualTo(states.get(i));
      }
      Engine latest = createEngine();
      engines.add(latest);
      backups.restore(RestorePoint.latest(), latest);
      assertThat(dump(latest)).as("latest").isEqualTo(last);
      if (feed) {
        backups.releaseHold(source);
      }
    } finally {
      engines.forEach(Engine::close);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
