package io.tito.testkit.data;

import io.tito.data.Model;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A model made to fail on demand, for the all-or-nothing checks of {@link AtomicWriteContract}:
 * one index of each kind, each reading its own field, and a {@code poison} field that makes the
 * extractor of the index it names throw, or the codec ({@value #CODEC}) or a hook
 * ({@value #HOOK}). The unique single-field index is declared last, so that a write checks it
 * after every other index.
 */
public final class Gadgets {

  /** The poison that makes encoding the gadget fail. */
  public static final String CODEC = "codec";
  /** The poison that makes the kit's write hook write a key, then throw. */
  public static final String HOOK = "hook";

  /** Index names, one per kind. */
  public static final String SINGLE = "by_name";
  public static final String COMPOSITE = "by_kind_size";
  public static final String CONDITIONAL = "listed_by_region";
  public static final String MULTI_UNIQUE = "by_label";
  public static final String COVERING = "by_note";
  public static final String UNIQUE = "by_code";

  private Gadgets() {}

  /** A gadget; {@code blob} is unindexed filler for size limits. */
  public record Gadget(String id, String code, String name, String kind, Integer size,
      String region, boolean listed, List<String> labels, String note, String blob,
      String poison) {

    /** Throws when poisoned with {@link #CODEC}, so the JSON codec cannot encode the gadget. */
    @Override
    public String blob() {
      if (CODEC.equals(poison)) {
        throw new IllegalStateException("poisoned codec");
      }
      return blob;
    }

    public static Gadget of(String id, String code, String label) {
      return new Gadget(id, code, "name-" + id, "kind-" + id, 1, "region-" + id, true,
          List.of(label), "note-" + id, "", null);
    }

    public Gadget withId(String v) {
      return new Gadget(v, code, name, kind, size, region, listed, labels, note, blob, poison);
    }

    public Gadget withCode(String v) {
      return new Gadget(id, v, name, kind, size, region, listed, labels, note, blob, poison);
    }

    public Gadget withName(String v) {
      return new Gadget(id, code, v, kind, size, region, listed, labels, note, blob, poison);
    }

    public Gadget withKind(String v) {
      return new Gadget(id, code, name, v, size, region, listed, labels, note, blob, poison);
    }

    public Gadget withSize(Integer v) {
      return new Gadget(id, code, name, kind, v, region, listed, labels, note, blob, poison);
    }

    public Gadget withRegion(String v) {
      return new Gadget(id, code, name, kind, size, v, listed, labels, note, blob, poison);
    }

    public Gadget withLabels(List<String> v) {
      return new Gadget(id, code, name, kind, size, region, listed, v, note, blob, poison);
    }

    public Gadget withNote(String v) {
      return new Gadget(id, code, name, kind, size, region, listed, labels, v, blob, poison);
    }

    public Gadget withBlob(String v) {
      return new Gadget(id, code, name, kind, size, region, listed, labels, note, v, poison);
    }

    public Gadget withPoison(String v) {
      return new Gadget(id, code, name, kind, size, region, listed, labels, note, blob, v);
    }

    /** Every field but the id and the code changed, so every other index has entries to move. */
    public Gadget touched() {
      return new Gadget(id, code, name + "'", kind + "'", size + 1, region + "'", listed,
          List.of(labels.get(0) + "'"), note + "'", blob, poison);
    }
  }

  /** The gadgets model (table {@code gadgets}). */
  public static Model<Gadget> model() {
    return Model.builder(Gadget.class, "gadgets")
        .id(Gadget::id)
        .index(SINGLE, ix -> ix.field("name", guard(SINGLE, Gadget::name)))
        .index(COMPOSITE, ix -> ix.field("kind", Gadget::kind)
            .field("size", guard(COMPOSITE, Gadget::size)))
        .index(CONDITIONAL, ix -> ix.field("region", guard(CONDITIONAL, Gadget::region))
            .where(g -> guard(CONDITIONAL, Gadget::listed).apply(g)))
        .index(MULTI_UNIQUE, ix -> ix.values(List.of("label"), g -> {
          List<Tuple> out = new ArrayList<>();
          for (String l : guard(MULTI_UNIQUE, Gadget::labels).apply(g)) {
            out.add(Tuple.of(l));
          }
          return out;
        }).unique())
        .index(COVERING, ix -> ix.field("note", guard(COVERING, Gadget::note)).covering())
        .index(UNIQUE, ix -> ix.field("code", guard(UNIQUE, Gadget::code)).unique())
        .build();
  }

  private static <V> Function<Gadget, V> guard(String index, Function<Gadget, V> getter) {
    return g -> {
      if (index.equals(g.poison())) {
        throw new IllegalStateException("poisoned extractor of " + index);
      }
      return getter.apply(g);
    };
  }
}
