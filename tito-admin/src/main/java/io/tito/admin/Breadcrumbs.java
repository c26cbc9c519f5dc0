package io.tito.admin;

import io.tito.data.RecordChange;
import io.tito.data.WriteHook;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.PublishReceipt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Developer mode: records the breadcrumbs of a flow (a model write, the event it published, each
 * handler that ran it) and draws them as a Mermaid sequence diagram, to see what a write sets
 * off. Not for production: it keeps every step in memory (at most {@link #MAX_STEPS}).
 *
 * <pre>{@code
 * Breadcrumbs crumbs = new Breadcrumbs();
 * Tito tito = Tito.builder().url(url).with(DataStore.models(orders).hook(crumbs.writeHook())
 *     .events(...)).build();
 * topics.subscribe("orders", "billing", crumbs.handler("orders", "billing", handler), options);
 * ...
 * Files.writeString(Path.of("flow.mmd"), crumbs.toMermaid());
 * }</pre>
 *
 * <p>Steps are recorded when they happen for good: a write after its transaction commits, a
 * handler call when it returns or throws. Thread-safe.
 */
public final class Breadcrumbs {

  /** The most steps kept; later ones are counted but dropped. */
  public static final int MAX_STEPS = 10_000;

  /** One recorded step: {@code from} sent {@code what} to {@code to}. */
  public record Step(String from, String to, String what, boolean failed) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Step> steps = new ArrayList<>();
  private long dropped;

  /** Records a step. */
  public void record(String from, String to, String what, boolean failed) {
    lock.lock();
    try {
      if (steps.size() < MAX_STEPS) {
        steps.add(new Step(from, to, what, failed));
      } else {
        dropped++;
      }
    } finally {
      lock.unlock();
    }
  }

  /** A write hook for {@code DataStore.Builder.hook}: records each committed model write. */
  public WriteHook writeHook() {
    return (tx, change) -> {
      RecordChange c = change;
      tx.afterCommit(() -> record("application", c.table(),
          c.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + c.id(), false));
    };
  }

  /** Records that {@code publisher} published the event of {@code receipt} (after commit). */
  public void published(String publisher, PublishReceipt receipt) {
    record(publisher, "topic " + receipt.topic(), "event " + shortId(receipt.id().toString())
        + " p" + receipt.partition() + (receipt.scheduled() ? " at " + receipt.deliverAt()
        : " #" + receipt.position()), false);
  }

  /** {@code handler}, with each call recorded as "topic to group: event id". */
  public EventHandler handler(String topic, String group, EventHandler handler) {
    return event -> {
      String what = "handle " + shortId(event.id().toString()) + " p" + event.partition() + " #"
          + event.position();
      try {
        handler.handle(event);
        record("topic " + topic, "group " + group, what, false);
      } catch (Exception | Error e) {
        record("topic " + topic, "group " + group, what + " failed: " + e.getMessage(), true);
        throw e;
      }
    };
  }

  /** The steps recorded so far, in order. */
  public List<Step> steps() {
    lock.lock();
    try {
      return List.copyOf(steps);
    } finally {
      lock.unlock();
    }
  }

  /** The steps as a Mermaid {@code sequenceDiagram}, participants in order of appearance. */
  public String toMermaid() {
    List<Step> all = steps();
    Set<String> participants = new LinkedHashSet<>();
    for (Step s : all) {
      participants.add(s.from());
      participants.add(s.to());
    }
    List<String> names = new ArrayList<>(participants);
    StringBuilder b = new StringBuilder("sequenceDiagram\n");
    for (int i = 0; i < names.size(); i++) {
      b.append("  participant P").append(i).append(" as ").append(escape(names.get(i))).append('\n');
    }
    for (Step s : all) {
      b.append("  P").append(names.indexOf(s.from())).append(s.failed() ? "-x" : "->>")
          .append("P").append(names.indexOf(s.to())).append(": ").append(escape(s.what()))
          .append('\n');
    }
    lock.lock();
    try {
      if (dropped > 0) {
        b.append("  Note over P0: ").append(dropped).append(" more steps dropped\n");
      }
    } finally {
      lock.unlock();
    }
    return b.toString();
  }

  private static String shortId(String id) {
    return id.substring(0, 8);
  }

  /** Mermaid text cannot hold line breaks, semicolons or '#' as written. */
  private static String escape(String s) {
    return s.replace("\n", " ").replace(";", ",").replace("#", "#35;");
  }
}
