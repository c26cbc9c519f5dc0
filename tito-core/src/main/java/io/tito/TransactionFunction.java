package io.tito;

/** Work done in one transaction, returning a result. May be run more than once (retries). */
@FunctionalInterface
public interface TransactionFunction<T> {
  T apply(Transaction tx);
}
