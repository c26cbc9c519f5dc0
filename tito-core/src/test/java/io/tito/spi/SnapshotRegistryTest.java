package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The registry's floor, expiry and "alone" answers match a plain model (a sorted multiset of held
 * versions and a begin-ordered list) through random registrations, pins, releases and expiries,
 * across the moves between one held version and several.
 */
class SnapshotRegistryTest {

  private static final long MAX_AGE = Duration.ofSeconds(10).toNanos();

  @Test
  void matchesAModelThroughRandomOperations() {
    for (long seed = 0; seed < 200; seed++) {
      run(new Random(seed));
    }
  }

  @Test
  void aSecondVersionAndItsReleaseKeepTheLowestHeld() {
    long[] now = {0};
    SnapshotRegistry reg = new SnapshotRegistry("t", Duration.ofNanos(MAX_AGE), () -> now[0]);
    SnapshotRegistry.Registration a = reg.register(5);
    SnapshotRegistry.Registration b = reg.register(5);
    SnapshotRegistry.Registration c = reg.register(7);
    assertThat(reg.size()).isEqualTo(3);
    assertThat(reg.raiseFloorIfAlone(c, 8)).isFalse();
    reg.release(a);
    assertThat(reg.advanceFloor(9)).isEqualTo(5);
    reg.release(b);
    assertThat(reg.advanceFloor(9)).isEqualTo(7);
    assertThat(reg.raiseFloorIfAlone(c, 8)).isTrue();
    assertThat(reg.floor()).isEqualTo(8);
    reg.release(c);
    assertThat(reg.size()).isZero();
    assertThat(reg.register(7)).isNull();
  }

  private static void run(Random rnd) {
    long[] now = {0};
    SnapshotRegistry reg = new SnapshotRegistry("t", Duration.ofNanos(MAX_AGE), () -> now[0]);
    TreeMap<Long, Integer> held = new TreeMap<>();
    List<Object[]> open = new ArrayList<>(); // {registration, began}
    List<Long> pins = new ArrayList<>();
    long floor = 0;
    long latest = 0;
    for (int step = 0; step < 300; step++) {
      now[0] += rnd.nextInt(4) * MAX_AGE / 3;
      int op = rnd.nextInt(6);
      if (op == 0 || op == 1) {
        long v = Math.max(0, latest - rnd.nextInt(3));
        SnapshotRegistry.Registration r = reg.register(v);
        if (v < floor) {
          assertThat(r).isNull();
        } else {
          assertThat(r).isNotNull();
          open.add(new Object[] {r, now[0]});
          held.merge(v, 1, Integer::sum);
        }
      } else if (op == 2 && !open.isEmpty()) {
        Object[] o = open.remove(rnd.nextInt(open.size()));
        SnapshotRegistry.Registration r = (SnapshotRegistry.Registration) o[0];
        reg.release(r);
        reg.release(r); // idempotent
        held.computeIfPresent(r.version(), (k, n) -> n == 1 ? null : n - 1);
      } else if (op == 3) {
        if (rnd.nextBoolean() || pins.isEmpty()) {
          long v = Math.max(floor, latest - rnd.nextInt(2));
          reg.pin(v);
          pins.add(v);
          held.merge(v, 1, Integer::sum);
        } else {
          long v = pins.remove(rnd.nextInt(pins.size()));
          reg.unpin(v);
          held.computeIfPresent(v, (k, n) -> n == 1 ? null : n - 1);
        }
      } else if (op == 4 && !open.isEmpty()) {
        SnapshotRegistry.Registration r =
            (SnapshotRegistry.Registration) open.get(rnd.nextInt(open.size()))[0];
        long version = latest + 1;
        boolean alone = held.isEmpty()
            || (!r.isExpired() && held.size() == 1 && held.firstKey() == r.version()
                && held.firstEntry().getValue() == 1);
        assertThat(reg.raiseFloorIfAlone(r, version)).isEqualTo(alone);
        if (alone) {
          floor = Math.max(floor, version);
        }
        latest = version;
      } else {
        latest += rnd.nextInt(2);
        for (var it = open.iterator(); it.hasNext(); ) {
          Object[] o = it.next();
          SnapshotRegistry.Registration r = (SnapshotRegistry.Registration) o[0];
          if (now[0] - (long) o[1] > MAX_AGE) {
            it.remove();
            held.computeIfPresent(r.version(), (k, n) -> n == 1 ? null : n - 1);
          }
        }
        long oldest = held.isEmpty() ? latest : Math.min(held.firstKey(), latest);
        floor = Math.max(floor, oldest);
        assertThat(reg.advanceFloor(latest)).isEqualTo(floor);
        for (Object[] o : open) {
          assertThat(((SnapshotRegistry.Registration) o[0]).isExpired()).isFalse();
        }
      }
      assertThat(reg.size()).isEqualTo(held.values().stream().mapToInt(Integer::intValue).sum());
      assertThat(reg.floor()).isEqualTo(floor);
    }
  }
}
