package io.tito.testkit.events;

import io.tito.events.Aggregate;
import io.tito.events.EventData;
import io.tito.events.RecordedEvent;

/** A bank-account aggregate for the kit: deposits, withdrawals, and a count of operations. */
public final class BankAccounts {

  private BankAccounts() {}

  /** The account's state. */
  public record Account(long balance, int operations) {}

  /** Payload of both event types. */
  public record Amount(long value) {}

  /** A deposit event. */
  public static EventData deposited(long value) {
    return EventData.of("Deposited", new Amount(value));
  }

  /** A withdrawal event. */
  public static EventData withdrawn(long value) {
    return EventData.of("Withdrawn", new Amount(value));
  }

  /** The aggregate, with the given schema version. */
  public static Aggregate<Account> aggregate(int schemaVersion) {
    return new Aggregate<>() {
      @Override
      public String name() {
        return "account";
      }

      @Override
      public Account initialState() {
        return new Account(0, 0);
      }

      @Override
      public Account apply(Account s, RecordedEvent e) {
        long v = e.payloadAs(Amount.class).value();
        return switch (e.type()) {
          case "Deposited" -> new Account(s.balance() + v, s.operations() + 1);
          case "Withdrawn" -> new Account(s.balance() - v, s.operations() + 1);
          default -> s;
        };
      }

      @Override
      public Class<Account> stateType() {
        return Account.class;
      }

      @Override
      public int schemaVersion() {
        return schemaVersion;
      }
    };
  }
}
