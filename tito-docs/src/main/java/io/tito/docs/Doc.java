package io.tito.docs;

import java.time.Instant;

/**
 * A document read from or written to a collection.
 *
 * @param id the document id
 * @param value the document (a Jackson tree or the collection's class)
 * @param version 1 on creation, plus one on every write; a hard delete forgets it
 * @param createdAt when it was created (store clock)
 * @param updatedAt when it was last written (store clock)
 * @param deleted true when soft-deleted
 * @param <T> the document type
 */
public record Doc<T>(String id, T value, long version, Instant createdAt, Instant updatedAt,
    boolean deleted) {}
