package io.tito.testkit;

import static io.tito.testkit.Kit.assertContents;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.key;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.LimitExceededException;
import io.tito.spi.BulkLoader;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link BulkLoader} of engines that declare {@link Capability#BULK_LOAD}: nothing is visible
 * before {@code finish}, everything at once after it (and after a reopen, on durable engines); a
 * loader closed unfinished, or refused, leaves the store empty; keys must increase; limits apply;
 * only an empty store without change feed holds is loaded. Engines without the capability must
 * refuse {@code bulkLoader()}.
 */
public interface BulkLoadContract extends EngineFixture {

  private BulkLoader loader() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.BULK_LOAD),
        "engine does not declare BULK_LOAD");
    return engine().bulkLoader();
  }

  private static ReferenceModel load(BulkLoader loader, int count) {
    ReferenceModel model = new ReferenceModel();
    for (int i = 0; i < count; i++) {
      loader.add(key("bulk", i), v("value " + i));
      model.set(key("bulk", i), v("value " + i));
    }
    return model;
  }

  @Test
  default void enginesWithoutTheCapabilityRefuseBulkLoading() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.BULK_LOAD), "engine can bulk load");
    assertThatThrownBy(() -> engine().bulkLoader()).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void loadedEntriesAppearAllAtOnceWhenTheLoaderFinishes() {
    ReferenceModel model;
    try (BulkLoader loader = loader()) {
      model = load(loader, 5000);
      read(engine(), tx -> {
        assertContents(tx, new ReferenceModel(), "before finish");
        return null;
      });
      assertThat(loader.finish()).isEqualTo(5000);
    }
    read(engine(), tx -> {
      assertContents(tx, model, "after finish");
      return null;
    });
    commit(engine(), tx -> {
      tx.set(key("bulk", 7), v("changed"));
      tx.clear(key("bulk", 8));
    });
    model.set(key("bulk", 7), v("changed"));
    model.clear(key("bulk", 8));
    read(engine(), tx -> {
      assertContents(tx, model, "after a commit over loaded keys");
      return null;
    });
    if (engine().capabilities().contains(Capability.DURABLE)) {
      reopen();
      read(engine(), tx -> {
        assertContents(tx, model, "after reopening");
        return null;
      });
    }
  }

  @Test
  default void aLoaderClosedUnfinishedLeavesTheStoreEmptyAndLoadableAgain() {
    try (BulkLoader loader = loader()) {
      load(loader, 3000);
    }
    read(engine(), tx -> {
      assertContents(tx, new ReferenceModel(), "after abort");
      return null;
    });
    ReferenceModel model;
    try (BulkLoader loader = engine().bulkLoader()) {
      model = load(loader, 10);
      loader.finish();
    }
    read(engine(), tx -> {
      assertContents(tx, model, "second load");
      return null;
    });
  }

  @Test
  default void keysMustIncreaseAndFitTheLimits() {
    try (BulkLoader loader = loader()) {
      loader.add(key("bulk", 2), v("x"));
      assertThatThrownBy(() -> loader.add(key("bulk", 2), v("again"))).isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("strictly increasing");
      assertThatThrownBy(() -> loader.add(key("bulk", 1), v("lower"))).isInstanceOf(InvalidArgumentException.class);
      byte[] big = new byte[engine().limits().maxKeySize() + 1];
      big[0] = (byte) 0xFF;
      assertThatThrownBy(() -> loader.add(big, v("x"))).isInstanceOf(LimitExceededException.class);
      byte[] bigValue = new byte[engine().limits().maxValueSize() + 1];
      assertThatThrownBy(() -> loader.add(key("bulk", 3), bigValue)).isInstanceOf(LimitExceededException.class);
    }
    read(engine(), tx -> {
      assertContents(tx, new ReferenceModel(), "after refused entries and abort");
      return null;
    });
  }

  /**
   * {@code add} with array ranges loads exactly the ranges (not the arrays around them), with the
   * order, limit and bounds checks of {@code add}.
   */
  @Test
  default void entriesGivenAsRangesOfLargerArraysLoadExactlyTheRanges() {
    try (BulkLoader refusing = loader()) {
      byte[] first = key("ranges", 5);
      byte[] wrapped = new byte[first.length + 4];
      System.arraycopy(first, 0, wrapped, 2, first.length);
      refusing.add(wrapped, 2, first.length, v("x"), 0, 1);
      assertThatThrownBy(() -> refusing.add(wrapped, 2, first.length, v("again"), 0, 1))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("strictly increasing");
      byte[] next = key("ranges", 6);
      assertThatThrownBy(() -> refusing.add(next, 1, next.length, v("x"), 0, 1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      byte[] bigValue = new byte[engine().limits().maxValueSize() + 3];
      assertThatThrownBy(() -> refusing.add(next, 0, next.length, bigValue, 1, bigValue.length - 1))
          .isInstanceOf(LimitExceededException.class);
    }
    ReferenceModel model = new ReferenceModel();
    try (BulkLoader loader = loader()) {
      for (int i = 0; i < 3000; i++) {
        byte[] k = key("ranges", i);
        byte[] val = v("value " + i);
        byte[] both = new byte[3 + k.length + 2 + val.length + 5];
        java.util.Arrays.fill(both, (byte) 0x7F);
        System.arraycopy(k, 0, both, 3, k.length);
        System.arraycopy(val, 0, both, 3 + k.length + 2, val.length);
        loader.add(both, 3, k.length, both, 3 + k.length + 2, val.length);
        model.set(k, val);
      }
      assertThat(loader.finish()).isEqualTo(3000);
    }
    read(engine(), tx -> {
      assertContents(tx, model, "after loading ranges");
      return null;
    });
  }

  @Test
  default void onlyAnEmptyStoreIsLoaded() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.BULK_LOAD), "engine does not declare BULK_LOAD");
    commit(engine(), tx -> tx.set(v("present"), v("1")));
    assertThatThrownBy(() -> engine().bulkLoader()).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  default void aWriteDuringTheLoadMakesFinishFailAndNothingIsLoaded() {
    try (BulkLoader loader = loader()) {
      load(loader, 100);
      commit(engine(), tx -> tx.set(v("intruder"), v("1")));
      assertThatThrownBy(loader::finish).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> loader.add(key("bulk", 1000), v("late"))).isInstanceOf(InvalidArgumentException.class);
    }
    ReferenceModel model = new ReferenceModel();
    model.set(v("intruder"), v("1"));
    read(engine(), tx -> {
      assertContents(tx, model, "only the other write");
      return null;
    });
  }

  @Test
  default void anEmptyLoadFinishesWithNothing() {
    try (BulkLoader loader = loader()) {
      assertThat(loader.finish()).isZero();
    }
    try (EngineTransaction tx = engine().begin(true)) {
      assertContents(tx, new ReferenceModel(), "empty load");
    }
  }

  @Test
  default void loadingIsRefusedWhileTheChangeFeedHasHolds() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.CHANGE_FEED), "no change feed");
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.BULK_LOAD), "engine does not declare BULK_LOAD");
    engine().changeFeed().placeHold("backup");
    assertThatThrownBy(() -> engine().bulkLoader()).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("holds");
    engine().changeFeed().releaseHold("backup");
    try (BulkLoader loader = engine().bulkLoader()) {
      loader.add(v("a"), v("1"));
      engine().changeFeed().placeHold("backup");
      assertThatThrownBy(loader::finish).isInstanceOf(InvalidArgumentException.class);
    }
    try (EngineTransaction tx = engine().begin(true)) {
      assertContents(tx, new ReferenceModel(), "refused load");
    }
  }
}
