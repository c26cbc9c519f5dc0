package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tito.Backoff;
import io.tito.spi.ChangeListener;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link io.tito.spi.Engine#listen} subscription: an etcd watch on the channel's key. Each
 * write of the key is one notification. When the stream breaks the listener hears {@code
 * listening(false)}; the watch is reopened from the revision after the last one seen (or the one
 * it was created at), so nothing is missed unless the cluster compacted it, and the listener hears
 * {@code listening(true)} and {@code changed(null)}, then the writes made meanwhile. Thread-safe.
 */
final class EtcdWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatcher.class);

  private final EtcdClient client;
  private final ByteString key;
  private final ChangeListener listener;
  private final ScheduledExecutorService timer;
  private final Consumer<EtcdWatcher> onClose;
  private volatile boolean closed;
  private volatile ClientCallStreamObserver<WatchRequest> stream;
  // Written by the gRPC thread of one stream at a time; the next stream opens after the previous
  // one ended, through the timer, which orders the accesses.
  private long nextRevision;
  /** Reopening after a broken watch: 100 ms doubling to 5 s, no jitter (one stream per listener). */
  private static final Backoff REOPEN = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5),
      Backoff.Jitter.NONE);
  /** Breaks since the watch last opened. */
  private int failures;
  private boolean healthy;
  private boolean reopening;

  EtcdWatcher(EtcdClient client, ByteString key, ChangeListener listener, ScheduledExecutorService timer,
      Consumer<EtcdWatcher> onClose) {
    this.onClose = onClose;
    this.client = client;
    this.key = key;
    this.listener = listener;
    this.timer = timer;
    open();
  }

  private void open() {
    if (closed) {
      return;
    }
    client.watchStub().watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
        stream = requests;
      }

      @Override
      public void onNext(WatchResponse response) {
        received(response);
      }

      @Override
      public void onError(Throwable t) {
        broken(t);
      }

      @Override
      public void onCompleted() {
        broken(null);
      }
    });
    WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setKey(key);
    if (nextRevision > 0) {
      create.setStartRevision(nextRevision);
    }
    stream.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
    if (closed) {
      stream.cancel("listener closed", null);
    }
  }

  private void received(WatchResponse response) {
    if (closed) {
      return;
    }
    try {
      deliver(response);
    } catch (RuntimeException e) {
      LOG.warn("a change listener of {} failed", key.toStringUtf8(), e);
    }
  }

  private void deliver(WatchResponse response) {
    if (response.getCompactRevision() > 0) {
      nextRevision = 0;
      listener.changed(null);
      stream.cancel("watch compacted", null);
      return;
    }
    if (response.getCreated()) {
      if (nextRevision == 0) {
        nextRevision = response.getHeader().getRevision() + 1;
      }
      boolean recovered = reopening;
      reopening = false;
      healthy = true;
      failures = 0;
      listener.listening(true);
      if (recovered) {
        listener.changed(null);
      }
    }
    for (Event event : response.getEventsList()) {
      nextRevision = event.getKv().getModRevision() + 1;
      if (event.getType() == Event.EventType.PUT) {
        listener.changed(Notifications.decode(event.getKv().getValue()));
      }
    }
    if (response.getCanceled()) {
      stream.cancel("watch canceled by the server", null);
    }
  }

  private void broken(Throwable cause) {
    if (closed) {
      return;
    }
    reopening = true;
    if (healthy) {
      healthy = false;
      listener.listening(false);
    }
    long backoffMillis = REOPEN.delayNanos(++failures) / 1_000_000;
    LOG.debug("etcd watch of {} broke; reopening in {} ms", key.toStringUtf8(), backoffMillis, cause);
    try {
      timer.schedule(this::open, backoffMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return; // the engine is closing
    }
  }

  @Override
  public void close() {
    closed = true;
    onClose.accept(this);
    ClientCallStreamObserver<WatchRequest> s = stream;
    if (s != null) {
      s.cancel("listener closed", null);
    }
  }
}
