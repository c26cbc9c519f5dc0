package io.tito.events;

/**
 * How to rebuild one kind of aggregate from its stream: an initial state, a pure function that
 * applies one event, and (for snapshots) the state's type and schema version. The version of a
 * loaded aggregate is its stream's version ({@link Loaded#version()}).
 *
 * <pre>{@code
 * record Account(long balance) {}
 * Aggregate<Account> accounts = new Aggregate<>() {
 *   public String name() { return "account"; }
 *   public Account initialState() { return new Account(0); }
 *   public Account apply(Account s, RecordedEvent e) {
 *     return switch (e.type()) {
 *       case "Deposited" -> new Account(s.balance() + e.payloadAs(Amount.class).value());
 *       default -> s;
 *     };
 *   }
 *   public Class<Account> stateType() { return Account.class; }
 * };
 * }</pre>
 *
 * @param <S> the state type; immutable states are recommended ({@link #apply} may return a new one)
 */
public interface Aggregate<S> {

  /** A stable name (1 to 256 chars) under which snapshots of this kind are kept. */
  String name();

  /** The state of an aggregate whose stream has no event. */
  S initialState();

  /** The state after {@code event}; must not fail for events the aggregate once accepted. */
  S apply(S state, RecordedEvent event);

  /** The state's class, for snapshots (serialised with the store's Jackson mapper). */
  Class<S> stateType();

  /**
   * The version of the state's shape. A snapshot taken at another schema version is ignored (the
   * aggregate is rebuilt from its events); raise it whenever {@link #apply} or the state changes
   * meaning. Default 1.
   */
  default int schemaVersion() {
    return 1;
  }
}
