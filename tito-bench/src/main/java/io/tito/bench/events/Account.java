package io.tito.bench.events;

/** The benchmark's aggregate state: a running sum. Public for Jackson. */
public record Account(long balance) {}
