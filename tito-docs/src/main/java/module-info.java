/**
 * Tito docs: schemaless JSON documents in named collections ({@code io.tito.docs}): optimistic
 * versions, soft delete, partial updates by path, declared indexes on JSON paths kept in the
 * writing transaction (tito-data's index machinery), and a query DSL with a planner, explain,
 * an index advisor and compiled queries. {@code io.tito.internal.docs} is not exported. Typed
 * documents are mapped with Jackson: on the module path, open their package to {@code
 * com.fasterxml.jackson.databind}.
 */
module io.tito.docs {
  requires transitive io.tito.core;
  requires transitive io.tito.data;
  requires transitive io.tito.events;
  requires transitive com.fasterxml.jackson.databind;

  exports io.tito.docs;
}
