package io.tito.examples.spring;

/** An order of the example: stored as a Tito model, announced on topic "orders". */
public record Order(String id, String customer, long cents) {}
