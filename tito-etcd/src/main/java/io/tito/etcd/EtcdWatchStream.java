package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tito.Backoff;
import io.tito.spi.ChangeListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link io.tito.spi.Engine#listen} subscription of one engine as a watch on one shared
 * etcd watch stream (etcd multiplexes watches on a stream by watch id), opened at the first
 * listen and closed when the last one closes.
 *
 * <p>Each write of a channel's key is one notification. etcd assigns watch ids in the order of
 * the create requests on a stream, so creates awaiting their id wait in a queue. When the stream
 * breaks every listener hears {@code listening(false)}; after a backoff a new stream re-creates
 * every watch from the revision after the last one it saw (or the one it was created at), so
 * nothing is missed unless the cluster compacted it, and each listener hears {@code
 * listening(true)} and {@code changed(null)}, then the writes made meanwhile. A watch the cluster
 * cancels for compaction is re-created from the current revision, with {@code changed(null)}.
 *
 * <p>Thread-safe: the lock guards the stream and the watch tables; listeners are called on the
 * stream's gRPC thread, outside the lock, one response at a time.
 */
final class EtcdWatchStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatchStream.class);

  /** Reopening after a broken stream: 100 ms doubling to 5 s, no jitter (one stream per engine). */
  private static final Backoff REOPEN = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5),
      Backoff.Jitter.NONE);

  private final EtcdClient client;
  private final ScheduledExecutorService timer;
  private final ReentrantLock lock = new ReentrantLock();
  /** Every open subscription, in the order they were made. */
  private final Set<Watch> watches = new LinkedHashSet<>();
  /** Subscriptions by the watch id of the current stream. */
  private final Map<Long, Watch> byId = new HashMap<>();
  /** Subscriptions whose create request on the current stream awaits its answer, in sending order. */
  private final ArrayDeque<Watch> creating = new ArrayDeque<>();
  private ClientCallStreamObserver<WatchRequest> stream;
  /** Counts streams, so that callbacks of an abandoned stream are ignored. */
  private long generation;
  /** Breaks since a watch was last created. */
  private int failures;
  private boolean reopenScheduled;
  private boolean closed;

  EtcdWatchStream(EtcdClient client, ScheduledExecutorService timer) {
    this.client = client;
    this.timer = timer;
  }

  /** Starts watching {@code key} for {@code listener}; close the result to stop. */
  AutoCloseable watch(ByteString key, ChangeListener listener) {
    Watch w = new Watch(key, listener);
    lock.lock();
    try {
      if (closed) {
        return () -> { };
      }
      watches.add(w);
      if (stream == null) {
        if (!reopenScheduled) {
          open();
        }
      } else {
        create(w);
      }
    } finally {
      lock.unlock();
    }
    return () -> remove(w);
  }

  private void remove(Watch w) {
    lock.lock();
    try {
      if (!watches.remove(w)) {
        return;
      }
      if (w.id >= 0) {
        byId.remove(w.id);
        send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(w.id)).build());
      }
      if (watches.isEmpty() && stream != null) {
        ClientCallStreamObserver<WatchRequest> s = stream;
        abandon();
        s.cancel("no listener left", null);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Opens a new stream and creates every watch on it. Holds the lock. */
  private void open() {
    reopenScheduled = false;
    if (closed || watches.isEmpty()) {
      return;
    }
    long mine = ++generation;
    byId.clear();
    creating.clear();
    client.watchStub().watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
        stream = requests;
      }

      @Override
      public void onNext(WatchResponse response) {
        received(mine, response);
      }

      @Override
      public void onError(Throwable t) {
        broken(mine, t);
      }

      @Override
      public void onCompleted() {
        broken(mine, null);
      }
    });
    if (generation != mine || stream == null) {
      return; // the stream failed as it started, and a reopen is scheduled
    }
    for (Watch w : watches) {
      create(w);
    }
  }

  /** Sends the create request of {@code w} on the current stream. Holds the lock. */
  private void create(Watch w) {
    w.id = -1;
    WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setKey(w.key);
    if (w.nextRevision > 0) {
      create.setStartRevision(w.nextRevision);
    }
    creating.add(w);
    send(WatchRequest.newBuilder().setCreateRequest(create).build());
  }

  private void send(WatchRequest request) {
    if (stream != null) {
      try {
        stream.onNext(request);
      } catch (RuntimeException e) {
        LOG.debug("etcd watch stream refused a request; it is breaking", e);
      }
    }
  }

  /** Forgets the current stream; its callbacks are ignored from now on. Holds the lock. */
  private void abandon() {
    stream = null;
    generation++;
    byId.clear();
    creating.clear();
  }

  private void received(long streamGeneration, WatchResponse response) {
    List<Runnable> calls = new ArrayList<>();
    lock.lock();
    try {
      if (streamGeneration != generation || closed) {
        return;
      }
      Watch w;
      if (response.getCreated()) {
        w = creating.poll();
        if (w == null) {
          return;
        }
        if (!watches.contains(w)) {
          send(WatchRequest.newBuilder()
              .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(response.getWatchId())).build());
          return;
        }
        w.id = response.getWatchId();
        byId.put(w.id, w);
        failures = 0;
        if (w.nextRevision == 0) {
          w.nextRevision = response.getHeader().getRevision() + 1;
        }
        boolean recovered = w.reopening;
        w.reopening = false;
        w.healthy = true;
        calls.add(() -> w.listener.listening(true));
        if (recovered) {
          calls.add(() -> w.listener.changed(null));
        }
      } else {
        w = byId.get(response.getWatchId());
        if (w == null) {
          return;
        }
      }
      if (response.getCompactRevision() > 0) {
        // The cluster compacted what this watch had not seen yet: say so, watch from now on.
        byId.remove(w.id);
        w.nextRevision = 0;
        calls.add(() -> w.listener.changed(null));
        create(w);
      } else {
        for (Event event : response.getEventsList()) {
          w.nextRevision = event.getKv().getModRevision() + 1;
          if (event.getType() == Event.EventType.PUT) {
            String payload = Notifications.decode(event.getKv().getValue());
            calls.add(() -> w.listener.changed(payload));
          }
        }
        if (response.getCanceled()) {
          LOG.warn("etcd canceled the watch of {}: {}; watching again", w.key.toStringUtf8(),
              response.getCancelReason());
          byId.remove(w.id);
          create(w);
        }
      }
    } finally {
      lock.unlock();
    }
    for (Runnable call : calls) {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.warn("a change listener failed", e);
      }
    }
  }

  private void broken(long streamGeneration, Throwable cause) {
    List<ChangeListener> unhealthy = new ArrayList<>();
    lock.lock();
    try {
      if (streamGeneration != generation || closed) {
        return;
      }
      abandon();
      for (Watch w : watches) {
        w.reopening = true;
        if (w.healthy) {
          w.healthy = false;
          unhealthy.add(w.listener);
        }
      }
      long backoffMillis = REOPEN.delayNanos(++failures) / 1_000_000;
      LOG.debug("etcd watch stream broke; reopening in {} ms", backoffMillis, cause);
      try {
        timer.schedule(this::reopen, backoffMillis, TimeUnit.MILLISECONDS);
        reopenScheduled = true;
      } catch (RejectedExecutionException e) {
        return; // the engine is closing
      }
    } finally {
      lock.unlock();
    }
    for (ChangeListener l : unhealthy) {
      try {
        l.listening(false);
      } catch (RuntimeException e) {
        LOG.warn("a change listener failed", e);
      }
    }
  }

  private void reopen() {
    lock.lock();
    try {
      open();
    } finally {
      lock.unlock();
    }
  }

  /** Stops every watch; listeners hear nothing more. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      watches.clear();
      ClientCallStreamObserver<WatchRequest> s = stream;
      abandon();
      if (s != null) {
        s.cancel("engine closed", null);
      }
    } finally {
      lock.unlock();
    }
  }

  /** One subscription: its channel key, listener and progress. Guarded by the stream's lock. */
  private static final class Watch {
    final ByteString key;
    final ChangeListener listener;
    /** The watch id on the current stream, or -1 while not created. */
    long id = -1;
    /** The revision to watch from when (re-)created, 0 for the current one. */
    long nextRevision;
    boolean healthy;
    boolean reopening;

    Watch(ByteString key, ChangeListener listener) {
      this.key = key;
      this.listener = listener;
    }
  }
}
