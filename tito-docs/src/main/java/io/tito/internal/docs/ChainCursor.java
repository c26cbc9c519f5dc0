package io.tito.internal.docs;

import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Query;
import io.tito.data.Versioned;
import io.tito.docs.Filter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Pages through a chained plan (an any-order query): the ranges of its branches are read one
 * after another, each in its index order, and nothing is merged or sorted. Each branch holds
 * every document matching its conjuncts (the other conjuncts and one disjunct), and a document
 * matching the conjuncts of several branches is returned by the first of them only: a range of
 * branch {@code k} keeps a document when it matches the filter and branch {@code k}'s conjuncts
 * and none of the earlier branches' conjuncts (tested on a {@link Projection} of the stored
 * bytes). Ranges of one branch are disjoint (distinct values of the fixed fields; the planner
 * chains no branch with a free array field, which would list a document once per element), so
 * every match is returned exactly once. A continuation holds the range's position in the chain
 * and tito-data's token inside it, so a page resumes exactly after the last entry read. Reads
 * count against the scan limit. Stateless.
 */
final class ChainCursor {

  private ChainCursor() {}

  /** One range of the chain and the filter its documents must pass. */
  private record Link(Branch branch, IndexRange range, Filter accept) {}

  /** One page of the chained ranges of {@code plan}. */
  static Executor.Result page(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Executor.Request r) {
    List<Link> links = links(plan, r.filter());
    int at = 0;
    String cont = null;
    if (r.after() != null) {
      String body = Tokens.decodeChain(r.after(), r.fingerprint());
      int dot = body.indexOf('.');
      try {
        at = Integer.parseInt(body.substring(0, dot < 0 ? body.length() : dot));
      } catch (NumberFormatException e) {
        throw bad();
      }
      if (at < 0 || at >= links.size()) {
        throw bad();
      }
      cont = dot < 0 || dot == body.length() - 1 ? null : body.substring(dot + 1);
    }
    int skip = r.pageNumber() > 0 ? (r.pageNumber() - 1) * r.size() : 0;
    List<Versioned<StoredDoc>> out = new ArrayList<>();
    int scanned = 0;
    while (at < links.size() && out.size() < r.size()) {
      int budget = r.scanLimit() - scanned;
      if (budget <= 0) {
        throw Executor.limit(store, plan, r);
      }
      Link l = links.get(at);
      Query<StoredDoc> q = l.range().apply(store.query(l.branch().index().name()));
      Projection p = Projection.of(l.accept());
      Filter accept = l.accept();
      ByteMatcher m = ByteMatcher.of(accept);
      Page<StoredDoc> page = q.filter(d -> d.matches(accept, p, m))
          .limit(Math.min(skip + r.size() - out.size(), budget)).maxScan(budget).after(cont)
          .page(tx);
      scanned += page.scanned();
      for (Versioned<StoredDoc> v : page.items()) {
        if (skip > 0) {
          skip--;
        } else {
          out.add(v);
        }
      }
      cont = page.continuation();
      if (cont == null) {
        at++;
      }
    }
    String token = at >= links.size() ? null
        : Tokens.chain(r.fingerprint(), at + "." + (cont == null ? "" : cont));
    return new Executor.Result(out, token, scanned);
  }

  /** The ranges in chain order, each with the filter its documents must pass. */
  private static List<Link> links(PlanSpec plan, Filter f) {
    List<Link> out = new ArrayList<>();
    List<Filter> earlier = new ArrayList<>();
    for (Branch b : plan.branches()) {
      Filter own = conjunction(b, f);
      Filter accept = earlier.isEmpty() ? Filter.and(f, own)
          : Filter.and(f, own, Filter.not(Filter.or(earlier.toArray(Filter[]::new))));
      for (IndexRange range : new LinkedHashSet<>(b.ranges(f))) {
        out.add(new Link(b, range, accept));
      }
      earlier.add(own);
    }
    return out;
  }

  /** The conjuncts branch {@code b} answers for, with and. */
  private static Filter conjunction(Branch b, Filter f) {
    List<Filter> parts = new ArrayList<>();
    for (List<Integer> at : b.conjuncts()) {
      parts.add(PlanSpec.at(f, at));
    }
    return Filter.and(parts.toArray(Filter[]::new));
  }

  private static InvalidArgumentException bad() {
    return new InvalidArgumentException(
        "continuation token is malformed or belongs to another query or plan", Map.of());
  }
}
