package io.tito.testkit.events;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.events.EventFilter;
import io.tito.events.Projection;
import io.tito.events.RecordedEvent;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test read model: per stream, the number of events applied and the sum of their {@code n}, at
 * ("rm", name, stream) -> (count, sum, last version). Fails on events of type "Poison" while
 * {@link #poison} is set. Records how often {@link #apply} ran (calls, not commits).
 */
class CountingProjection implements Projection {

  final String name;
  final EventFilter filter;
  final Subspace model;
  final AtomicInteger calls = new AtomicInteger();
  volatile boolean poison = true;
  /** Whether applying a version at or below the stream's last one is an error (off for replays after a reset). */
  volatile boolean strict = true;

  CountingProjection(Tito tito, String name, EventFilter filter) {
    this.name = name;
    this.filter = filter;
    this.model = tito.root().subspace("rm", name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public EventFilter filter() {
    return filter;
  }

  @Override
  public void apply(Transaction tx, RecordedEvent e) {
    calls.incrementAndGet();
    if (poison && e.type().equals("Poison")) {
      throw new IllegalStateException("poison event " + e.streamId() + "@" + e.version());
    }
    byte[] key = model.pack(e.streamId());
    byte[] v = tx.get(key);
    long count = v == null ? 0 : Tuple.unpack(v).getLong(0);
    long sum = v == null ? 0 : Tuple.unpack(v).getLong(1);
    long last = v == null ? 0 : Tuple.unpack(v).getLong(2);
    if (strict && e.version() <= last) {
      throw new AssertionError("applied out of order or twice: " + e.streamId() + " v" + e.version()
          + " after v" + last);
    }
    tx.set(key, Tuple.of(count + 1, sum + EventStoreFixture.n(e), e.version()).pack());
  }

  @Override
  public void clear(Transaction tx) {
    tx.clearRange(model.range());
  }

  /** The read model: stream -> "count/sum/lastVersion". */
  Map<String, String> read(Tito tito) {
    return tito.read(tx -> {
      Map<String, String> out = new TreeMap<>();
      try (KeyValueCursor c = tx.scan(model.range())) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple t = Tuple.unpack(kv.value());
          out.put(model.unpack(kv.key()).getString(0), t.getLong(0) + "/" + t.getLong(1) + "/" + t.getLong(2));
        }
      }
      return out;
    });
  }
}
