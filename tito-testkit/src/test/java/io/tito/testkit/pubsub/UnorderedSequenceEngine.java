package io.tito.testkit.pubsub;

import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.tuple.Tuple;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: a missing sequence read. Publishing no longer reads and writes a partition's sequence
 * key in its transaction: positions come from a counter outside the store, taken when the
 * transaction asks, as an auto-increment column or an in-memory sequence would give them, and the
 * key is written apart after the commit. Positions are then not in commit order: a transaction
 * that commits late fills a position a consumer has already passed, and aborted transactions
 * leave holes. On an engine with sequenced appends, where publishing does not read the key, the
 * same fault takes each appended position from that counter when the transaction appends,
 * instead of at commit.
 */
final class UnorderedSequenceEngine extends FaultInjectingEngine {

  private final Map<String, AtomicLong> next = new ConcurrentHashMap<>();

  UnorderedSequenceEngine(Engine delegate, boolean on) {
    super(delegate, on);
  }

  @Override
  public String name() {
    return "unordered-sequence";
  }

  private AtomicLong counter(byte[] key) {
    return next.computeIfAbsent(HexFormat.of().formatHex(key), k -> new AtomicLong());
  }

  @Override
  EngineTransaction wrap(EngineTransaction tx) {
    return new ForwardingEngineTransaction(tx) {
      private final Map<byte[], byte[]> sequences = newKeyMap();

      @Override
      public byte[] get(byte[] key) {
        if (!isSequence(key)) {
          return delegate().get(key);
        }
        byte[] own = sequences.get(key);
        if (own != null) {
          return own;
        }
        byte[] stored = delegate().get(key);
        long value = stored == null ? 0 : Tuple.unpack(stored).getLong(0);
        return Tuple.of(Math.max(value, counter(key).get())).pack();
      }

      @Override
      public void set(byte[] key, byte[] value) {
        if (!isSequence(key)) {
          delegate().set(key, value);
          return;
        }
        long n = Tuple.unpack(value).getLong(0);
        counter(key).accumulateAndGet(n, Math::max);
        sequences.put(key, value);
        injected();
      }

      private final Map<byte[], Long> starts = new java.util.TreeMap<>(io.tito.ByteArrays.COMPARATOR);

      @Override
      public int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
        if (!isSequence(counterKey)) {
          return delegate().appendSequenced(counterKey, prefix, value);
        }
        long position = Math.max(counter(counterKey).getAndIncrement(), stored(counterKey));
        counter(counterKey).accumulateAndGet(position + 1, Math::max);
        delegate().set(io.tito.ByteArrays.concat(prefix, Tuple.of(position).pack()), value);
        byte[] own = sequences.get(counterKey);
        long next = Math.max(position + 1, own == null ? 0 : Tuple.unpack(own).getLong(0));
        sequences.put(counterKey, Tuple.of(next).pack());
        starts.putIfAbsent(counterKey, position);
        injected();
        return (int) (position - starts.get(counterKey));
      }

      private long stored(byte[] key) {
        byte[] v = delegate().get(key);
        return v == null ? 0 : Tuple.unpack(v).getLong(0);
      }

      @Override
      public long sequenceStart(byte[] counterKey) {
        Long start = starts.get(counterKey);
        return start != null ? start : delegate().sequenceStart(counterKey);
      }

      @Override
      public void commit() {
        delegate().commit();
        if (!sequences.isEmpty()) {
          writeApart(sequences, (stored, written) -> stored != null
              && Tuple.unpack(stored).getLong(0) >= Tuple.unpack(written).getLong(0)
              ? stored : written);
        }
      }
    };
  }
}
