package io.tito.bench.events;

/** The benchmark's one event payload. Public with a canonical constructor for Jackson. */
public record Deposited(long amount) {}
