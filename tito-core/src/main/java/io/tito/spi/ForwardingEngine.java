package io.tito.spi;

import java.util.Set;

/**
 * An engine that passes every call to another one: extend it to decorate an engine (metrics,
 * fault injection in tests) by overriding only the calls that change. Thread-safe if the
 * delegate is.
 */
public abstract class ForwardingEngine implements Engine {

  private final Engine delegate;

  protected ForwardingEngine(Engine delegate) {
    this.delegate = delegate;
  }

  /** The engine calls are passed to. */
  protected final Engine delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public EngineLimits limits() {
    return delegate.limits();
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    return delegate.begin(readOnly);
  }

  @Override
  public AutoCloseable listen(String channel, ChangeListener listener) {
    return delegate.listen(channel, listener);
  }

  @Override
  public ChangeFeed changeFeed() {
    return delegate.changeFeed();
  }

  /** The delegate's keyspace (not decorated: override to decorate it too). */
  @Override
  public Engine keyspace(String name) {
    return delegate.keyspace(name);
  }

  @Override
  public void dropKeyspace(String name) {
    delegate.dropKeyspace(name);
  }

  @Override
  public BulkLoader bulkLoader() {
    return delegate.bulkLoader();
  }

  @Override
  public void raiseStampFloor(long version) {
    delegate.raiseStampFloor(version);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
