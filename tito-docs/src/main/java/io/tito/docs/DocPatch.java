package io.tito.docs;

import io.tito.InvalidArgumentException;
import io.tito.internal.docs.JsonPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A partial update of a document: operations on dotted paths applied in order, in one write,
 * inside the writing transaction. Every path must name something: {@link #set} a field that
 * exists, {@link #add} a field whose parent object exists, {@link #remove} a field that exists.
 * A path that does not fails the whole patch with {@code InvalidArgumentException} and nothing is
 * written. Immutable.
 */
public final class DocPatch {

  /** An operation. */
  public enum Kind { SET, ADD, REMOVE }

  /**
   * One operation.
   *
   * @param kind what to do
   * @param path the dotted path
   * @param value the new value (a Jackson tree or anything the mapper converts), null for remove
   */
  public record Op(Kind kind, String path, Object value) {}

  private final List<Op> ops;

  private DocPatch(List<Op> ops) {
    this.ops = List.copyOf(ops);
  }

  /** Replaces the value of an existing field. */
  public static DocPatch set(String path, Object value) {
    return new DocPatch(List.of()).andSet(path, value);
  }

  /** Adds (or replaces) a field whose parent object exists. */
  public static DocPatch add(String path, Object value) {
    return new DocPatch(List.of()).andAdd(path, value);
  }

  /** Removes an existing field. */
  public static DocPatch remove(String path) {
    return new DocPatch(List.of()).andRemove(path);
  }

  /** Several {@link #set}s, in map iteration order. */
  public static DocPatch setAll(Map<String, ?> values) {
    DocPatch p = new DocPatch(List.of());
    for (Map.Entry<String, ?> e : values.entrySet()) {
      p = p.andSet(e.getKey(), e.getValue());
    }
    return p;
  }

  /** This patch then a {@link #set}. */
  public DocPatch andSet(String path, Object value) {
    return with(new Op(Kind.SET, path, value));
  }

  /** This patch then an {@link #add}. */
  public DocPatch andAdd(String path, Object value) {
    return with(new Op(Kind.ADD, path, value));
  }

  /** This patch then a {@link #remove}. */
  public DocPatch andRemove(String path) {
    return with(new Op(Kind.REMOVE, path, null));
  }

  /** The operations in order. */
  public List<Op> ops() {
    return ops;
  }

  private DocPatch with(Op op) {
    JsonPaths.segments(op.path());
    List<Op> all = new ArrayList<>(ops);
    all.add(op);
    if (all.size() > 1000) {
      throw new InvalidArgumentException("a patch has at most 1000 operations", Map.of());
    }
    return new DocPatch(all);
  }

  @Override
  public String toString() {
    return ops.toString();
  }
}
