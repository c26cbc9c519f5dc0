package io.tito.internal.docs;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.InvalidArgumentException;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's view of a shared engine: every key, range, stamped prefix, counter and appended
 * prefix is prefixed with the tenant's prefix on the way in and stripped on the way out, so everything built on it
 * (documents, records, indexes, streams, topics, checkpoints) lives only under the prefix and
 * cannot see another tenant's keys. Change notifications pass through unchanged (they are wake-up
 * hints, never data). Closing it does not close the shared engine. Thread-safe as the delegate.
 */
public final class TenantEngine extends ForwardingEngine {

  private final byte[] prefix;

  /** A view of {@code shared} under {@code prefix}. */
  public TenantEngine(Engine shared, byte[] prefix) {
    super(shared);
    this.prefix = prefix.clone();
  }

  /**
   * The delegate's capabilities without {@link Capability#CHANGE_FEED} (the shared engine's feed
   * carries every tenant's changes, so a tenant view must not hand it out), without
   * {@link Capability#KEYSPACES} (keyspaces belong to the shared store) and without
   * {@link Capability#BULK_LOAD} (a loader fills the whole shared store, not one prefix).
   */
  @Override
  public Set<Capability> capabilities() {
    EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
    caps.addAll(delegate().capabilities());
    caps.remove(Capability.CHANGE_FEED);
    caps.remove(Capability.KEYSPACES);
    caps.remove(Capability.BULK_LOAD);
    return Collections.unmodifiableSet(caps);
  }

  /** Refused: see {@link #capabilities()}; a tenant is restored through transactions. */
  @Override
  public io.tito.spi.BulkLoader bulkLoader() {
    throw new InvalidArgumentException("a tenant's view cannot bulk load",
        Map.of("engine", name(), "capability", Capability.BULK_LOAD));
  }

  /** Refused: see {@link #capabilities()}; back up the shared store instead. */
  @Override
  public ChangeFeed changeFeed() {
    throw new InvalidArgumentException("a tenant's view has no change feed; back up the shared store",
        Map.of("engine", name(), "capability", Capability.CHANGE_FEED));
  }

  /** Refused: see {@link #capabilities()}. */
  @Override
  public Engine keyspace(String name) {
    throw new InvalidArgumentException("a tenant's view has no keyspaces",
        Map.of("engine", name(), "capability", Capability.KEYSPACES));
  }

  /** Refused: see {@link #capabilities()}. */
  @Override
  public void dropKeyspace(String name) {
    keyspace(name);
  }

  @Override
  public EngineLimits limits() {
    EngineLimits l = delegate().limits();
    return new EngineLimits(l.maxKeySize() - prefix.length, l.maxValueSize(),
        l.maxTransactionSize());
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    return new ForwardingEngineTransaction(delegate().begin(readOnly)) {
      @Override
      public byte[] get(byte[] key) {
        return delegate().get(in(key));
      }

      @Override
      public List<byte[]> getAll(List<byte[]> keys) {
        List<byte[]> p = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
          p.add(in(k));
        }
        return delegate().getAll(p);
      }

      @Override
      public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
        KeyValueCursor c = delegate().scan(in(begin), in(end), options);
        return new KeyValueCursor() {
          @Override
          public boolean hasNext() {
            return c.hasNext();
          }

          @Override
          public KeyValue next() {
            KeyValue kv = c.next();
            return new KeyValue(out(kv.key()), kv.value());
          }

          @Override
          public void close() {
            c.close();
          }
        };
      }

      @Override
      public void set(byte[] key, byte[] value) {
        delegate().set(in(key), value);
      }

      @Override
      public void clear(byte[] key) {
        delegate().clear(in(key));
      }

      @Override
      public void clearRange(byte[] begin, byte[] end) {
        delegate().clearRange(in(begin), in(end));
      }

      @Override
      public int setStamped(byte[] stampPrefix, byte[] value) {
        return delegate().setStamped(in(stampPrefix), value);
      }

      @Override
      public int setStamped(byte[] stampPrefix, byte[] value, int orders) {
        return delegate().setStamped(in(stampPrefix), value, orders);
      }

      @Override
      public int appendSequenced(byte[] counterKey, byte[] appendPrefix, byte[] value) {
        return delegate().appendSequenced(in(counterKey), in(appendPrefix), value);
      }

      @Override
      public long sequenceStart(byte[] counterKey) {
        return delegate().sequenceStart(in(counterKey));
      }
    };
  }

  /** Does not close the shared engine. */
  @Override
  public void close() {}

  private byte[] in(byte[] key) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + key.length);
    System.arraycopy(key, 0, k, prefix.length, key.length);
    return k;
  }

  private byte[] out(byte[] key) {
    return Arrays.copyOfRange(key, prefix.length, key.length);
  }
}
