package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.AlreadyExistsException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.TitoException;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Patch;
import io.tito.data.Versioned;
import io.tito.spi.Engine;
import io.tito.testkit.data.DataModels.Status;
import io.tito.testkit.data.DataModels.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property kit, run per engine by a subclass giving {@link #createEngine()} (and the number of
 * tries through jqwik's {@code @PropertyDefaults}). After any random sequence of inserts, saves,
 * updates, patches, hard and soft deletes and restores: (1) every operation succeeds or fails
 * exactly as a plain-Java reference model predicts (already-exists, not-found, unique values), (2) the stored records and
 * versions equal the reference, (3) the index entries equal those recomputed from the records.
 */
public abstract class IndexConsistencyProperties {

  /** A new, empty engine for one try; closed by the kit. */
  protected abstract Engine createEngine();

  /** Called after each try, once the engine is closed (e.g. to delete its files). */
  protected void afterTry() {}


  /** Operation kinds. */
  public enum Kind { INSERT, SAVE, UPDATE, PATCH_EMAIL, PATCH_AGE, PATCH_TAG, DELETE, SOFT_DELETE, RESTORE }

  /** One operation on the user with the given id. */
  public record Op(Kind kind, User user) {}

  /** The reference model's view of a record. */
  public record Ref(User value, long version, boolean deleted) {}

  @Property
  void indexesAlwaysMatchTheRecords(@ForAll("ops") List<Op> ops) {
    Model<User> model = DataModels.users();
    try (Tito tito = Tito.open(createEngine())) {
      ModelStore<User> users = DataStore.models().model(model).open(tito).store(model);
      Map<String, Ref> ref = new HashMap<>();
      for (Op op : ops) {
        Class<?> expected = expectedFailure(ref, op);
        Class<?> actual = null;
        try {
          apply(users, op);
        } catch (TitoException e) {
          actual = e.getClass();
        }
        assertThat(actual).as("outcome of %s", op).isEqualTo(expected);
        if (expected == null) {
          applyToReference(ref, op);
        }
      }
      Map<Object, Ref> stored = new TreeMap<>();
      for (Versioned<User> v : users.scanAll().includeDeleted().limit(1000).page().items()) {
        stored.put(v.id(), new Ref(v.value(), v.version(), v.deleted()));
      }
      assertThat(stored).isEqualTo(new TreeMap<>(ref));
      assertThat(IndexAudit.actual(tito, users)).isEqualTo(IndexAudit.expected(tito, users));
    } finally {
      afterTry();
    }
  }

  private static void apply(ModelStore<User> users, Op op) {
    String id = op.user().id();
    switch (op.kind()) {
      case INSERT -> users.insert(op.user());
      case SAVE -> users.save(op.user());
      case UPDATE -> users.update(op.user());
      case PATCH_EMAIL -> users.patch(id, Patch.set("/email", op.user().email()));
      case PATCH_AGE -> users.patch(id, Patch.set("/age", op.user().age()));
      case PATCH_TAG -> users.patch(id, Patch.set("/tags/-", "t9"));
      case DELETE -> users.delete(id);
      case SOFT_DELETE -> users.softDelete(id);
      case RESTORE -> users.restore(id);
    }
  }

  private static Class<?> expectedFailure(Map<String, Ref> ref, Op op) {
    Ref old = ref.get(op.user().id());
    boolean live = old != null && !old.deleted();
    return switch (op.kind()) {
      case INSERT -> old != null || taken(ref, op.user()) ? AlreadyExistsException.class : null;
      case SAVE -> taken(ref, op.user()) ? AlreadyExistsException.class : null;
      case UPDATE -> !live ? NotFoundException.class
          : taken(ref, op.user()) ? AlreadyExistsException.class : null;
      case PATCH_EMAIL, PATCH_AGE, PATCH_TAG -> !live ? NotFoundException.class
          : taken(ref, patched(old.value(), op)) ? AlreadyExistsException.class : null;
      case DELETE -> null;
      case SOFT_DELETE, RESTORE -> old == null ? NotFoundException.class : null;
    };
  }

  private static void applyToReference(Map<String, Ref> ref, Op op) {
    String id = op.user().id();
    Ref old = ref.get(id);
    long next = old == null ? 1 : old.version() + 1;
    switch (op.kind()) {
      case INSERT, SAVE, UPDATE -> ref.put(id, new Ref(op.user(), next, false));
      case PATCH_EMAIL, PATCH_AGE, PATCH_TAG ->
          ref.put(id, new Ref(patched(old.value(), op), next, false));
      case DELETE -> ref.remove(id);
      case SOFT_DELETE -> {
        if (!old.deleted()) {
          ref.put(id, new Ref(old.value(), next, true));
        }
      }
      case RESTORE -> {
        if (old.deleted()) {
          ref.put(id, new Ref(old.value(), next, false));
        }
      }
    }
  }

  private static User patched(User u, Op op) {
    return switch (op.kind()) {
      case PATCH_EMAIL -> u.withEmail(op.user().email());
      case PATCH_AGE -> u.withAge(op.user().age());
      default -> {
        List<String> tags = new ArrayList<>(u.tags());
        tags.add("t9");
        yield u.withTags(tags);
      }
    };
  }

  private static boolean taken(Map<String, Ref> ref, User u) {
    return u.email() != null && ref.entrySet().stream().anyMatch(e ->
        !e.getKey().equals(u.id()) && Objects.equals(e.getValue().value().email(), u.email()));
  }

  /** Random operation sequences. */
  @Provide
  public Arbitrary<List<Op>> ops() {
    Arbitrary<User> users = Combinators.combine(
        Arbitraries.of("a", "b", "c", "d"),
        Arbitraries.of("x@", "y@", "z@").injectNull(0.3),
        Arbitraries.of("", "a", "ab", "A", "b\u0000"),
        Arbitraries.of("NO", "SE"),
        Arbitraries.of(-1, 0, 5, 30).injectNull(0.2),
        Arbitraries.of(-10_000_000_000L, -1L, 0L, 7L, 12_345_678_901L),
        Arbitraries.of(-1.5, 0.0, 2.25),
        Arbitraries.of("t1", "t2", "t3").list().ofMaxSize(3))
        .flatAs((id, email, name, country, age, score, rating, tags) ->
            Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(Status.class))
                .as((active, status) -> new User(id, email, name, country, age, score, rating,
                    tags, active, status)));
    Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), users).as(Op::new);
    return op.list().ofMaxSize(25);
  }
}
