package io.tito.docs;

import io.tito.Transaction;
import io.tito.internal.docs.PlanSpec;
import java.util.Map;

/**
 * A reusable, parameterised query ({@link DocCollection#compile}): its plan is chosen once from
 * the query's shape (filter with {@link Param} placeholders, order) and cached; each run binds
 * the parameter values, pages as the query was set up ({@link DocQuery#page(int, int)},
 * {@link DocQuery#limit}) and may resume with a continuation. A plan chosen while an index was
 * not yet readable stays a scan: compile again after building indexes. Immutable and thread-safe.
 *
 * @param <T> the document type
 */
public final class CompiledQuery<T> {

  private final DocQuery<T> template;
  private final PlanSpec plan;

  CompiledQuery(DocQuery<T> template, PlanSpec plan) {
    this.template = template.copyWith(template.filter());
    this.plan = plan;
  }

  /** The cached plan. */
  public Plan explain() {
    return plan.describe(template.filter());
  }

  /** One page with {@code params} bound, in a read-only transaction of its own. */
  public DocPage<T> run(Map<String, ?> params) {
    return template.collection().tito().read(tx -> run(tx, params, null));
  }

  /** One page with {@code params} bound, resuming after {@code continuation} (may be null). */
  public DocPage<T> run(Transaction tx, Map<String, ?> params, String continuation) {
    DocQuery<T> q = template.copyWith(template.filter().bind(params));
    if (continuation != null) {
      q.after(continuation);
    }
    return q.run(tx, plan, q.filter());
  }
}
