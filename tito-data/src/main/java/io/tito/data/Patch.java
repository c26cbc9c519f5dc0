package io.tito.data;

import com.fasterxml.jackson.core.JsonPointer;
import io.tito.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Field changes applied to a stored record's JSON by {@link ModelStore#patch}, without a
 * read-modify-write in user code. Paths are JSON pointers (RFC 6901): {@code "/email"},
 * {@code "/address/city"}, {@code "/tags/0"}, {@code "/tags/-"} (append).
 *
 * <ul>
 *   <li>{@link #set}: replaces or adds the field; missing parent objects are created; in an
 *       array, an index replaces that element and {@code -} appends.
 *   <li>{@link #remove}: removes the field or array element; removing something absent does
 *       nothing.
 * </ul>
 * Values are converted with the model's {@link JsonCodec} mapper. The patched JSON must still map
 * to the model type, and the id must not change ({@link InvalidArgumentException} otherwise).
 * Operations apply in the order they were added.
 *
 * <p>Immutable and thread-safe: every method returns a new patch.
 */
public final class Patch {

  /** One operation; {@code value} is null for removes. */
  public record Op(boolean remove, String path, Object value) {}

  private final List<Op> ops;

  private Patch(List<Op> ops) {
    this.ops = List.copyOf(ops);
  }

  /** A patch that sets {@code path} to {@code value} (null writes JSON null). */
  public static Patch set(String path, Object value) {
    return new Patch(List.of()).andSet(path, value);
  }

  /** A patch that removes {@code path}. */
  public static Patch remove(String path) {
    return new Patch(List.of()).andRemove(path);
  }

  /** This patch, then a set. @throws InvalidArgumentException if the path is not a pointer */
  public Patch andSet(String path, Object value) {
    return plus(new Op(false, check(path), value));
  }

  /** This patch, then a remove. @throws InvalidArgumentException if the path is not a pointer */
  public Patch andRemove(String path) {
    return plus(new Op(true, check(path), null));
  }

  /** The operations in order. */
  public List<Op> ops() {
    return ops;
  }

  private Patch plus(Op op) {
    List<Op> next = new ArrayList<>(ops);
    next.add(op);
    return new Patch(next);
  }

  private static String check(String path) {
    if (path == null || path.isEmpty() || !path.startsWith("/")) {
      throw new InvalidArgumentException("patch path must be a JSON pointer to a field",
          Map.of("path", String.valueOf(path)));
    }
    try {
      JsonPointer.compile(path);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("patch path must be a JSON pointer to a field",
          Map.of("path", path), e);
    }
    return path;
  }

  @Override
  public String toString() {
    return "Patch" + ops;
  }
}
