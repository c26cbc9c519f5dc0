package io.tito.examples;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.events.Aggregate;
import io.tito.events.AggregateRepository;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.Loaded;
import io.tito.events.Projection;
import io.tito.events.ProjectionStatus;
import io.tito.events.RecordedEvent;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Bank accounts as an event-sourced aggregate with snapshots, and a read model of balances kept
 * by a projection: commands load the account (latest snapshot + tail), check it, and append
 * events with the loaded version as expected version; the projection folds {@code $all} into
 * ("balances", account) -> balance, with its checkpoint in the same transaction.
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.BankAccountExample [data-directory]}.
 */
public final class BankAccountExample {

  private BankAccountExample() {}

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("bank", args, b -> b.with(EventStore.builder()),
        BankAccountExample::run);
  }

  /** The account's state. */
  public record Account(long balance) {}

  /** Payload of deposits and withdrawals. */
  public record Amount(long value) {}

  /** Refused by the validator: a withdrawal past the balance. */
  public static final class Overdrawn extends RuntimeException {
    Overdrawn(long balance) {
      super("balance would be " + balance);
    }
  }

  static final Aggregate<Account> ACCOUNTS = new Aggregate<>() {
    @Override
    public String name() {
      return "account";
    }

    @Override
    public Account initialState() {
      return new Account(0);
    }

    @Override
    public Account apply(Account s, RecordedEvent e) {
      long v = e.payloadAs(Amount.class).value();
      return new Account(e.type().equals("Deposited") ? s.balance() + v : s.balance() - v);
    }

    @Override
    public Class<Account> stateType() {
      return Account.class;
    }

    @Override
    public int schemaVersion() {
      return 1;
    }
  };

  /** The balances read model: ("balances", account) -> (balance). */
  static final class Balances implements Projection {
    private final Subspace model;

    Balances(Tito tito) {
      this.model = tito.root().subspace("balances");
    }

    @Override
    public String name() {
      return "balances";
    }

    @Override
    public EventFilter filter() {
      return EventFilter.streamPrefix("account-");
    }

    @Override
    public void apply(Transaction tx, RecordedEvent e) {
      byte[] key = model.pack(e.streamId());
      byte[] v = tx.get(key);
      long balance = v == null ? 0 : Tuple.unpack(v).getLong(0);
      long amount = e.payloadAs(Amount.class).value();
      tx.set(key, Tuple.of(e.type().equals("Deposited") ? balance + amount : balance - amount).pack());
    }

    @Override
    public void clear(Transaction tx) {
      tx.clearRange(model.range());
    }

    void print(Tito tito, PrintStream out) {
      tito.read(tx -> {
        try (KeyValueCursor c = tx.scan(model.range())) {
          while (c.hasNext()) {
            KeyValue kv = c.next();
            out.println("  " + model.unpack(kv.key()).getString(0) + ": " + Tuple.unpack(kv.value()).getLong(0));
          }
        }
        return null;
      });
    }
  }

  /** The example itself, on any store with an {@link EventStore}. */
  public static void run(Tito tito, PrintStream out) {
    EventStore events = tito.module(EventStore.class);
    AggregateRepository<Account> repo = AggregateRepository.builder(events, ACCOUNTS)
        .snapshotEvery(10)
        .validator((state, newEvents) -> {
          if (state.balance() < 0) {
            throw new Overdrawn(state.balance());
          }
        })
        .build();

    for (int i = 1; i <= 25; i++) {
      Loaded<Account> alice = repo.load("account-alice");
      repo.commit(alice, List.of(EventData.of("Deposited", new Amount(i))));
    }
    Loaded<Account> bob = repo.load("account-bob");
    bob = repo.commit(bob, List.of(EventData.of("Deposited", new Amount(100))));
    bob = repo.commit(bob, List.of(EventData.of("Withdrawn", new Amount(30))));
    try {
      repo.commit(bob, List.of(EventData.of("Withdrawn", new Amount(500))));
    } catch (Overdrawn e) {
      out.println("Refused a withdrawal of 500 from account-bob: " + e.getMessage());
    }
    Loaded<Account> alice = repo.load("account-alice");
    out.println("account-alice: balance " + alice.state().balance() + " at version " + alice.version()
        + " (snapshot at version " + alice.snapshotVersion() + " + " + (alice.version() - alice.snapshotVersion())
        + " events)");
    out.println("account-bob: balance " + repo.load("account-bob").state().balance());

    Balances balances = new Balances(tito);
    ProjectionStatus st = events.projections().runUntilIdle(balances, Duration.ofMinutes(1));
    out.println("Projection balances caught up (lag " + st.lag() + "):");
    balances.print(tito, out);
    events.projections().rebuild(balances);
    events.projections().runUntilIdle(balances, Duration.ofMinutes(1));
    out.println("Rebuilt from zero:");
    balances.print(tito, out);
  }
}
