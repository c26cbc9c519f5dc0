package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValueCursor;
import io.tito.LimitExceededException;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Patch;
import io.tito.spi.EngineLimits;
import io.tito.testkit.data.Gadgets.Gadget;
import io.tito.tuple.Subspace;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model operation that fails inside the caller's transaction leaves nothing behind: the caller
 * catches the exception and commits, and the store holds exactly what it held plus the caller's
 * other writes, with every index entry (the record's own unique entries included) in step with
 * the records. Each failure is tried with insert, save (new and existing), update and patch, and
 * hits one index kind: unique violations, key and value size limits, a throwing extractor, a
 * value the codec cannot encode, a throwing write hook.
 */
public interface AtomicWriteContract extends DataFixture {

  /** How the failing write is made to fail, and what it then throws. */
  enum Failure {
    UNIQUE_TAKEN(AlreadyExistsException.class, (g, l) -> g.touched().withCode("code-b")),
    MULTI_VALUED_UNIQUE_TAKEN(AlreadyExistsException.class,
        (g, l) -> g.touched().withLabels(List.of("fresh", "label-b"))),
    SINGLE_KEY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withName(huge(l))),
    COMPOSITE_KEY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withKind(huge(l))),
    CONDITIONAL_KEY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withRegion(huge(l))),
    MULTI_VALUED_KEY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withLabels(List.of("fresh", huge(l)))),
    COVERING_KEY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withNote(huge(l))),
    UNIQUE_KEY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withCode(huge(l))),
    COVERING_ENTRY_TOO_LARGE(LimitExceededException.class,
        (g, l) -> coveringEntryTooLarge(g.touched(), l)),
    RECORD_TOO_LARGE(LimitExceededException.class,
        (g, l) -> g.touched().withBlob("x".repeat(l.maxValueSize()))),
    SINGLE_EXTRACTOR_THROWS(IllegalStateException.class, poisoned(Gadgets.SINGLE)),
    COMPOSITE_EXTRACTOR_THROWS(IllegalStateException.class, poisoned(Gadgets.COMPOSITE)),
    CONDITIONAL_EXTRACTOR_THROWS(IllegalStateException.class, poisoned(Gadgets.CONDITIONAL)),
    MULTI_VALUED_EXTRACTOR_THROWS(IllegalStateException.class, poisoned(Gadgets.MULTI_UNIQUE)),
    COVERING_EXTRACTOR_THROWS(IllegalStateException.class, poisoned(Gadgets.COVERING)),
    UNIQUE_EXTRACTOR_THROWS(IllegalStateException.class, poisoned(Gadgets.UNIQUE)),
    CODEC_FAILS(InvalidArgumentException.class, poisoned(Gadgets.CODEC)),
    HOOK_FAILS(IllegalStateException.class, poisoned(Gadgets.HOOK));

    final Class<? extends Throwable> error;
    final BiFunction<Gadget, EngineLimits, Gadget> spoil;

    Failure(Class<? extends Throwable> error, BiFunction<Gadget, EngineLimits, Gadget> spoil) {
      this.error = error;
      this.spoil = spoil;
    }

    private static BiFunction<Gadget, EngineLimits, Gadget> poisoned(String what) {
      return (g, l) -> g.touched().withPoison(what);
    }

    private static String huge(EngineLimits limits) {
      return "x".repeat(limits.maxKeySize() + 1);
    }

    /** The record fits the value limit, its covering entry (the record plus a header) not. */
    private static Gadget coveringEntryTooLarge(Gadget g, EngineLimits limits) {
      Model<Gadget> model = Gadgets.model();
      int raw = 10 + model.codec().encode(g).length; // the stored record's header is 10 bytes
      return g.withBlob("x".repeat(limits.maxValueSize() - raw));
    }
  }

  /** The operations tried, each on a new record ("n") or on the stored record "a". */
  enum Operation { INSERT, SAVE_NEW, SAVE_EXISTING, UPDATE, PATCH }

  private static Gadget storedA() {
    return Gadget.of("a", "code-a", "label-a");
  }

  private static Gadget storedB() {
    return Gadget.of("b", "code-b", "label-b");
  }

  private DataStore gadgetStore(Model<Gadget> model) {
    Subspace traces = tito().root().subspace("hook-trace");
    return DataStore.models().model(model).hook((tx, change) -> {
      if (change.after() != null
          && Gadgets.HOOK.equals(((Gadget) change.after().value()).poison())) {
        tx.set(traces.pack(String.valueOf(change.id())), new byte[] {1});
        throw new IllegalStateException("poisoned hook");
      }
    }).open(tito());
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  default void aFailedOperationInTheCallersTransactionLeavesNothingBehind(Failure failure) {
    Model<Gadget> model = Gadgets.model();
    ModelStore<Gadget> store = gadgetStore(model).store(model);
    store.insert(storedA());
    store.insert(storedB());
    EngineLimits limits = tito().engine().limits();
    int good = 0;
    for (Operation op : Operation.values()) {
      Gadget base = op == Operation.INSERT || op == Operation.SAVE_NEW
          ? Gadget.of("n", "code-n", "label-n") : storedA();
      Gadget bad = failure.spoil.apply(base, limits);
      String goodId = "ok" + good++;
      // The function may run more than once (Tito#transaction): an attempt that guessed a taken
      // id free fails at commit and the next one reads it. What counts is the attempt that
      // committed: its operation threw, and the caller's own write went through without it.
      java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
      tito().inTransaction(tx -> {
        thrown.set(null);
        store.insert(tx, Gadget.of(goodId, "code-" + goodId, "label-" + goodId));
        try {
          switch (op) {
            case INSERT -> store.insert(tx, bad);
            case SAVE_NEW, SAVE_EXISTING -> store.save(tx, bad);
            case UPDATE -> store.update(tx, bad);
            case PATCH -> store.patch(tx, "a", patchTo(bad));
          }
        } catch (RuntimeException e) {
          thrown.set(e);
        }
      });
      assertThat(thrown.get()).as("%s by %s", failure, op).isInstanceOf(failure.error);
      assertThat(store.findById(goodId)).as("the caller's own write, %s", op).isPresent();
      assertThat(store.findById("n")).as("%s by %s", failure, op).isEmpty();
      assertThat(store.findById("a").orElseThrow().version()).as("%s by %s", failure, op)
          .isEqualTo(1);
      assertThat(store.findById("a").orElseThrow().value()).isEqualTo(storedA());
    }
    assertThat(IndexAudit.actual(tito(), store)).isEqualTo(IndexAudit.expected(tito(), store));
    int records = 2 + good;
    assertThat(store.count(Gadgets.UNIQUE)).isEqualTo(records);
    assertThat(store.count(Gadgets.SINGLE)).isEqualTo(records);
    assertThat(store.count(Gadgets.COVERING)).isEqualTo(records);
    assertThat(store.query(Gadgets.UNIQUE).eq("code-a").page().values())
        .containsExactly(storedA());
    assertThat(store.query(Gadgets.MULTI_UNIQUE).eq("label-a").page().values())
        .containsExactly(storedA());
    // the unique entries of "a" still hold its values
    assertThatThrownBy(() -> store.insert(Gadget.of("c", "code-a", "label-c")))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> store.insert(Gadget.of("c", "code-c", "label-a")))
        .isInstanceOf(AlreadyExistsException.class);
    int traces = tito().read(tx -> {
      try (KeyValueCursor c = tx.scan(tito().root().subspace("hook-trace").range())) {
        return c.toList().size();
      }
    });
    assertThat(traces).as("writes of the failed hook").isZero();
  }

  /**
   * The same when the failed operation is the transaction's first write (its savepoint then
   * starts on an empty write buffer): the failures that strike after index entries or hook writes
   * were made leave nothing, and the caller's later writes commit.
   */
  @ParameterizedTest
  @EnumSource(value = Failure.class, names = {"RECORD_TOO_LARGE", "HOOK_FAILS"})
  default void aFailedFirstWriteOfTheTransactionLeavesNothingBehind(Failure failure) {
    Model<Gadget> model = Gadgets.model();
    ModelStore<Gadget> store = gadgetStore(model).store(model);
    store.insert(storedA());
    Gadget bad = failure.spoil.apply(Gadget.of("n", "code-n", "label-n"),
        tito().engine().limits());
    tito().inTransaction(tx -> {
      assertThatThrownBy(() -> store.insert(tx, bad)).as("%s", failure)
          .isInstanceOf(failure.error);
      store.insert(tx, Gadget.of("ok", "code-ok", "label-ok"));
    });
    assertThat(store.findById("n")).as("%s", failure).isEmpty();
    assertThat(store.findById("ok")).as("%s", failure).isPresent();
    assertThat(IndexAudit.actual(tito(), store)).isEqualTo(IndexAudit.expected(tito(), store));
    assertThat(store.count(Gadgets.UNIQUE)).isEqualTo(2);
    int traces = tito().read(tx -> {
      try (KeyValueCursor c = tx.scan(tito().root().subspace("hook-trace").range())) {
        return c.toList().size();
      }
    });
    assertThat(traces).as("writes of the failed hook").isZero();
  }

  /** A patch that sets every field of {@code g} but the id. */
  private static Patch patchTo(Gadget g) {
    return Patch.set("/code", g.code()).andSet("/name", g.name()).andSet("/kind", g.kind())
        .andSet("/size", g.size()).andSet("/region", g.region()).andSet("/listed", g.listed())
        .andSet("/labels", g.labels()).andSet("/note", g.note())
        .andSet("/blob", g.poison() == null ? g.blob() : "").andSet("/poison", g.poison());
  }
}
