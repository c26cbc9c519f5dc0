package io.tito.testkit.pubsub;

import io.tito.KeyRange;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;

/**
 * Passes every call to the shared engine, except that while paused, writes to the group's
 * membership (the heartbeat) wait. Closing it leaves the shared engine open. Used by the pub/sub
 * delivery checker and the event store's consumer history checker.
 */
public final class HeartbeatPausingEngine extends ForwardingEngine {

  private final KeyRange members;
  private boolean paused;

  public HeartbeatPausingEngine(Engine delegate, KeyRange members) {
    super(delegate);
    this.members = members;
  }

  public synchronized void pause() {
    paused = true;
  }

  public synchronized void resume() {
    paused = false;
    notifyAll();
  }

  private synchronized void awaitResumed() {
    while (paused) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    return new ForwardingEngineTransaction(delegate().begin(readOnly)) {
      @Override
      public void set(byte[] key, byte[] value) {
        if (members.contains(key)) {
          awaitResumed();
        }
        delegate().set(key, value);
      }
    };
  }

  @Override
  public void close() {
    resume();
  }
}
