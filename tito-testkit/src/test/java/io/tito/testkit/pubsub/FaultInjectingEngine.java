package io.tito.testkit.pubsub;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;

/**
 * A deliberately broken store for the checker's self-test: wraps an engine and, when switched on,
 * rewrites what pub/sub stores in a way that breaks one delivery guarantee, as a consumer or
 * publisher with that bug would. Switched off it passes every call through, so a scenario run on
 * it must pass the checker. Counts how often the fault fired. Knows the pub/sub key layout under
 * the default root ({@code io.tito.internal.pubsub.Keys}).
 */
abstract class FaultInjectingEngine extends ForwardingEngine {

  private static final Subspace ROOT = new Subspace(Tuple.of("tito"));

  private final boolean on;
  private final AtomicInteger injected = new AtomicInteger();

  FaultInjectingEngine(Engine delegate, boolean on) {
    super(delegate);
    this.on = on;
  }

  /** How many times the fault fired. */
  final int injections() {
    return injected.get();
  }

  final void injected() {
    injected.incrementAndGet();
  }

  @Override
  public final EngineTransaction begin(boolean readOnly) {
    EngineTransaction tx = delegate().begin(readOnly);
    return on ? wrap(tx) : tx;
  }

  /** The transaction with the fault. */
  abstract EngineTransaction wrap(EngineTransaction tx);

  /** The key as a tuple under the root, or null if it is not under the root. */
  static Tuple unpack(byte[] key) {
    return ROOT.contains(key) ? ROOT.unpack(key) : null;
  }

  /** ("g", topic, group, p): a group's state (checkpoint, attempts, epoch, ...) in a partition. */
  static boolean isGroupState(byte[] key) {
    Tuple t = unpack(key);
    return t != null && t.size() == 4 && "g".equals(t.get(0));
  }

  /** ("g", topic, group, p, "lease"). */
  static boolean isLease(byte[] key) {
    Tuple t = unpack(key);
    return t != null && t.size() == 5 && "g".equals(t.get(0)) && "lease".equals(t.get(4));
  }

  /** ("q", topic, p, "seq"): a partition's next position. */
  static boolean isSequence(byte[] key) {
    Tuple t = unpack(key);
    return t != null && t.size() == 4 && "q".equals(t.get(0)) && "seq".equals(t.get(3));
  }

  /** ("d", topic, group, id): a dead letter. */
  static boolean isDeadLetter(byte[] key) {
    Tuple t = unpack(key);
    return t != null && t.size() == 4 && "d".equals(t.get(0));
  }

  static Map<byte[], byte[]> newKeyMap() {
    return new TreeMap<>(ByteArrays.COMPARATOR);
  }

  /**
   * Writes {@code writes} in a transaction of their own, each merged with the value stored then
   * ({@code merge(stored, written)}, stored may be null), retrying conflicts.
   */
  final void writeApart(Map<byte[], byte[]> writes, BinaryOperator<byte[]> merge) {
    for (int attempt = 0; ; attempt++) {
      try (EngineTransaction tx = delegate().begin(false)) {
        for (Map.Entry<byte[], byte[]> w : writes.entrySet()) {
          tx.set(w.getKey(), merge.apply(tx.get(w.getKey()), w.getValue()));
        }
        tx.commit();
        return;
      } catch (ConflictException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }
}
