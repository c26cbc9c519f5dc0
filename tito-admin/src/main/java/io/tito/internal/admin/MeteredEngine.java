package io.tito.internal.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;

/**
 * An engine that times every read-write commit ({@code tito.commit.latency}, tagged with its
 * outcome) and counts conflicts ({@code tito.commit.conflicts}). Thread-safe if the delegate is.
 */
public final class MeteredEngine extends ForwardingEngine {

  private final Timer committed;
  private final Timer conflicted;
  private final Timer unknown;
  private final Timer failed;
  private final Counter conflicts;

  public MeteredEngine(Engine delegate, MeterRegistry registry) {
    super(delegate);
    this.committed = timer(registry, "committed");
    this.conflicted = timer(registry, "conflict");
    this.unknown = timer(registry, "unknown");
    this.failed = timer(registry, "failed");
    this.conflicts = Counter.builder("tito.commit.conflicts")
        .description("Commits refused by first-committer-wins (retried by the transaction runner)")
        .register(registry);
  }

  private static Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder("tito.commit.latency").description("Read-write commits, by outcome")
        .tag("outcome", outcome).register(registry);
  }

  /** Read-only, so not timed; keys are not changed here: the engine's one-statement read stays. */
  @Override
  public java.util.List<java.util.List<io.tito.KeyValue>> readOnce(
      java.util.List<io.tito.RangeRead> reads) {
    return delegate().readOnce(reads);
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    EngineTransaction tx = super.begin(readOnly);
    return readOnly ? tx : new Metered(tx);
  }

  private final class Metered extends ForwardingEngineTransaction {

    private final EngineTransaction inner;

    Metered(EngineTransaction delegate) {
      super(delegate);
      this.inner = delegate;
    }

    /** Keys are not changed here: the engine's own batched reads stay batched. */
    @Override
    public java.util.List<java.util.List<io.tito.KeyValue>> scanAll(
        java.util.List<io.tito.RangeRead> reads) {
      return inner.scanAll(reads);
    }

    /** Keys are not changed here: the engine's bloom-filter shortcut for inserts stays. */
    @Override
    public byte[] getExpectingAbsent(byte[] key) {
      return inner.getExpectingAbsent(key);
    }

    /** Keys are not changed here: the engine's bloom-filter shortcut for inserts stays. */
    @Override
    public java.util.List<byte[]> getAllExpectingAbsent(java.util.List<byte[]> keys,
        int usuallyAbsent) {
      return inner.getAllExpectingAbsent(keys, usuallyAbsent);
    }

    /** Keys are not changed here: the engine's deferred read stays deferred. */
    @Override
    public void expect(byte[] key, byte[] expected) {
      inner.expect(key, expected);
    }

    @Override
    public void commit() {
      long start = System.nanoTime();
      Timer outcome = failed;
      try {
        super.commit();
        outcome = committed;
      } catch (ConflictException e) {
        outcome = conflicted;
        conflicts.increment();
        throw e;
      } catch (CommitUnknownException e) {
        outcome = unknown;
        throw e;
      } finally {
        outcome.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    }
  }
}
