package io.tito.relay.testing;

import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.Relay;

import io.tito.pubsub.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/** An in-memory broker for the relay core's own tests, deduplicating by event id if asked. */
public final class FakeBroker implements BrokerUnderTest {

  private final boolean deduplicates;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Received> stored = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final AtomicLong removed = new AtomicLong();

  public FakeBroker(boolean deduplicates) {
    this.deduplicates = deduplicates;
  }

  @Override
  public RelaySink sink() {
    return new RelaySink() {
      @Override
      public void send(List<Event> batch) {
        lock.lock();
        try {
          for (Event e : batch) {
            String id = e.id().toString();
            if (!ids.add(id) && deduplicates) {
              removed.incrementAndGet();
              continue;
            }
            stored.add(new Received(id, e.key(), RelayHeaders.of(e), e.payload()));
          }
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public RelaySink unreachableSink() {
    return new RelaySink() {
      @Override
      public void send(List<Event> batch) throws IOException {
        throw new IOException("connection refused (fake broker down)");
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public List<Received> readAll() {
    lock.lock();
    try {
      return List.copyOf(stored);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean deduplicates() {
    return deduplicates;
  }

  @Override
  public long duplicatesRemoved() {
    return removed.get();
  }
}
