package io.tito.testkit;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link FaultPoints} of one engine: the engine's test hooks call {@link #reached} at each
 * point (a no-op unless a pause is armed there), and the kit arms pauses. Thread-safe.
 *
 * <pre>{@code
 * FaultSwitchboard board = new FaultSwitchboard(EnumSet.of(Point.COMMIT_LOCK));
 * MemoryEngine engine = new MemoryEngine();
 * engine.onCommitApplied(() -> board.reached(Point.COMMIT_LOCK));
 * }</pre>
 */
public final class FaultSwitchboard implements FaultPoints {

  private final Set<Point> supported;
  private final Map<Point, AtomicReference<Pause>> armed = new EnumMap<>(Point.class);

  /** A switchboard for an engine that calls {@link #reached} at each of {@code supported}. */
  public FaultSwitchboard(Set<Point> supported) {
    this.supported = supported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supported));
    for (Point p : Point.values()) {
      armed.put(p, new AtomicReference<>());
    }
  }

  @Override
  public Set<Point> supported() {
    return supported;
  }

  @Override
  public Pause arm(Point point) {
    if (!supported.contains(point)) {
      throw new IllegalArgumentException("fault point not supported by this engine: " + point);
    }
    Pause pause = new Pause(point);
    Pause old = armed.get(point).getAndSet(pause);
    if (old != null) {
      old.release();
    }
    return pause;
  }

  /**
   * Whether a pause is armed at {@code point} now: an engine whose hook changes how it works (e.g.
   * splits one network round in two to make room for the pause) asks this first, so that the
   * kit's other tests run the engine's normal path.
   */
  public boolean armed(Point point) {
    return armed.get(point).get() != null;
  }

  /** Called by the engine at {@code point}: holds the calling thread if a pause is armed there. */
  public void reached(Point point) {
    Pause pause = armed.get(point).getAndSet(null);
    if (pause != null) {
      pause.hold();
    }
  }
}
