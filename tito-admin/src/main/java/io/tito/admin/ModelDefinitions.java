package io.tito.admin;

import io.tito.data.Model;
import java.util.List;

/**
 * The application's model definitions, for the {@code tito} CLI opening a store by URL: {@code
 * tito models build TABLE INDEX --models com.acme.AcmeModels [--classpath app.jar]} loads the named
 * class, which implements this interface and has a public no-argument constructor, and opens the
 * store with its models, so that an index can be built (its extractors exist only in the
 * application's code). Opening registers no new index: a new index stays {@code DISABLED} until
 * built.
 *
 * <pre>{@code
 * public final class AcmeModels implements ModelDefinitions {
 *   public List<Model<?>> models() { return List.of(Customers.MODEL, Orders.MODEL); }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ModelDefinitions {

  /** The models, as the application registers them with {@code DataStore.models(...)}. */
  List<Model<?>> models();
}
