/**
 * Tito data: models, indexes, queries, relationships and model events ({@code io.tito.data}).
 * {@code io.tito.data.internal} is not exported. Model classes encoded by the default {@code
 * JsonCodec} must be readable by Jackson: on the module path, open their package to {@code
 * com.fasterxml.jackson.databind}.
 */
module io.tito.data {
  requires transitive io.tito.core;
  requires com.fasterxml.jackson.databind;

  exports io.tito.data;
}
