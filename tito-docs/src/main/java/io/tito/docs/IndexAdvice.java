package io.tito.docs;

/**
 * What {@link DocCollection#advise} suggests for a query.
 *
 * @param plan the plan the query gets with the indexes declared now
 * @param suggested an index that would let the planner bound the scan by the query's equality and
 *     range predicates and give its order, or null when the current plan already does
 * @param reason a sentence explaining the suggestion
 */
public record IndexAdvice(Plan plan, DocIndex suggested, String reason) {}
