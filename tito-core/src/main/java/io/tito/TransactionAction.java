package io.tito;

/** Work done in one transaction, returning nothing. May be run more than once (retries). */
@FunctionalInterface
public interface TransactionAction {
  void accept(Transaction tx);
}
