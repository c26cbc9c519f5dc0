package io.tito.spring;

/** A model record of the tests. */
public record Order(String id, long cents) {}
