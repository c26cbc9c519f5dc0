package io.tito.internal.pubsub;

import io.tito.KeyValue;
import io.tito.KeyRange;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Source} of one group in one topic partition: the group's requeued entries first (in
 * requeue order), and only when there are none, the log from the group's checkpoint; also finds
 * and releases due scheduled events. With a {@link LogReader}, that log replaces the topic's (and
 * there are no scheduled events). Owns where the next look for due events starts. Not
 * thread-safe: one runner uses it.
 */
final class PartitionSource implements Source {

  private final Context ctx;
  private final Publisher publisher;
  private final String topic;
  private final String group;
  private final int partition;
  private final int fetchSize;
  /**
   * A release moves up to this many fetch sizes of due events. A runner that keeps up finds few
   * due, so the bound only matters while it is behind (after a stall, or when a window of due
   * events opens on a cold process): a backlog then drains in a quarter of the releases, each
   * handed over or fetched in batches of at most the fetch size.
   */
  static final int RELEASE_FETCHES = 4;
  /**
   * Due events a release's first scan asks for beyond what the last release moved (see {@link
   * #expectedDue}): one page read of a few keys more instead of a second scan when a few more
   * fell due than last time.
   */
  static final int EXPECTED_DUE_MARGIN = 16;
  /** How soon a log with entries held back ({@link LogReader.Batch#held}) is read again. */
  static final long HELD_RETRY_MILLIS = 10;
  /** The log read instead of the topic's, or null (see {@link LogReader}). */
  private final LogReader log;
  /**
   * Due keys before this one were released by this source: looking for the next due event starts
   * here, not over the deleted entries. Null: from the start of the due range, as after every
   * {@link Signals#FALLBACK_POLL_MILLIS}, which also finds an event scheduled earlier by a
   * publisher whose clock is behind.
   */
  private byte[] dueFrom;
  private long dueRescanAtNanos = System.nanoTime();
  /**
   * Set by a release, cleared by the next fetch: that fetch takes the next due time the release's
   * scan found ({@link #releasedNextDue}) instead of looking again. An event scheduled since with
   * an earlier due time woke the runner (its publish signals), and the next fetch without a
   * release before it looks.
   */
  private boolean released;
  private Instant releasedNextDue;
  /** Events the last release moved: the next release's first scan asks for about that many. */
  private int lastMoved;
  /**
   * Where the next fetch's log read probably starts (after the last fetch's log events), or -1:
   * read together with the group state, before the checkpoint is known.
   */
  private long expectedFrom = -1;

  PartitionSource(Context ctx, Publisher publisher, String topic, String group, int partition,
      int fetchSize, LogReader log) {
    this.ctx = ctx;
    this.log = log;
    this.publisher = publisher;
    this.topic = topic;
    this.group = group;
    this.partition = partition;
    this.fetchSize = fetchSize;
  }

  @Override
  public Fetch fetch(Instant now, long handledUntil) {
    boolean afterRelease = released;
    released = false;
    if (System.nanoTime() - dueRescanAtNanos >= 0) {
      dueFrom = null;
      afterRelease = false;
      dueRescanAtNanos = System.nanoTime() + Signals.FALLBACK_POLL_MILLIS * 1_000_000;
    }
    boolean known = afterRelease;
    if (log != null) {
      return ctx.tito.read(tx -> readFromLog(tx, now, handledUntil));
    }
    // One read outside a transaction (one round trip on a server engine, no BEGIN or ROLLBACK)
    // reads the group state, the requeued entries, the log from where this fetch probably starts
    // and the next due key. The log read is a guess made before the state is known: right
    // whenever the last fetch's events were handled (checkpointed or not), and read again from
    // the right place otherwise (readAgain).
    long guess = guess(handledUntil);
    KeyRange due = known ? null : publisher.nextDueRange(topic, partition, dueFrom);
    return read(ctx.tito.engine().readOnce(reads(guess, due)), now, handledUntil, guess, due,
        known);
  }

  /**
   * The log from {@code from}, read outside a transaction after the first read's guess was wrong.
   * Its snapshot is later than the first read's, which the fetch allows: the log only grows at
   * the positions a group has not passed, so a later snapshot reads the same entries and perhaps
   * more; the state, requeued entries and next due time stay the first read's, and anything
   * committed between the two reads wakes the runner again.
   */
  private List<Publisher.Stored> readAgain(long from) {
    return publisher.stored(ctx.tito.engine().readOnce(
        List.of(RangeRead.forward(ctx.keys.logFrom(topic, partition, from), fetchSize))).get(0));
  }

  /** Where this fetch's log read probably starts, or -1 (see {@link #read}). */
  private long guess(long handledUntil) {
    return handledUntil >= 0 ? handledUntil : expectedFrom;
  }

  /** The reads of a fetch: the group state, requeued entries, the log from {@code guess}, {@code due}. */
  private List<RangeRead> reads(long guess, KeyRange due) {
    Keys keys = ctx.keys;
    List<RangeRead> reads = new ArrayList<>(4);
    reads.add(RangeRead.point(keys.state(topic, group, partition)));
    reads.add(RangeRead.forward(keys.requeuedRange(topic, group, partition), fetchSize));
    if (guess >= 0) {
      reads.add(RangeRead.forward(keys.logFrom(topic, partition, guess), fetchSize));
    }
    if (due != null) {
      reads.add(RangeRead.forward(due, 1));
    }
    return reads;
  }

  /** The fetch from the rows of {@link #reads}. */
  private Fetch read(List<List<KeyValue>> rows, Instant now, long handledUntil, long guess,
      KeyRange due, boolean afterRelease) {
    Keys keys = ctx.keys;
    List<KeyValue> stateRow = rows.get(0);
    GroupState state = GroupState.decode(stateRow.isEmpty() ? null : stateRow.get(0).value());
    // The attempts and retry time in the state belong to the event at the checkpoint; one read
    // from past it (handled, not yet checkpointed) starts at an event with none counted.
    long from = Math.max(state.checkpoint(), handledUntil);
    List<Item> items = requeued(rows.get(1));
    boolean drained = false;
    if (items.isEmpty()) {
      List<Publisher.Stored> stored = guess >= 0 && guess == from
          ? publisher.stored(rows.get(2)) : readAgain(from);
      for (Publisher.Stored s : stored) {
        items.add(Item.ofLog(s.position(), s.bytes(), state));
      }
      drained = items.size() < fetchSize;
      expectedFrom = from + stored.size();
    }
    Instant nextDue;
    if (afterRelease) {
      nextDue = releasedNextDue;
    } else {
      List<KeyValue> dueRow = due == null ? List.of() : rows.get(rows.size() - 1);
      nextDue = dueRow.isEmpty() ? null : keys.dueTime(dueRow.get(0).key());
    }
    boolean dueNow = nextDue != null && !nextDue.isAfter(now);
    return new Fetch(state, items, dueNow, nextDue, drained);
  }

  /** The requeued entries of a scan of {@link Keys#requeuedRange}, as items (a new list). */
  private List<Item> requeued(List<KeyValue> rows) {
    List<Item> items = new ArrayList<>();
    for (KeyValue kv : rows) {
      items.add(Item.ofRequeued(ctx.keys.requeueNumber(kv.key()), Requeued.decode(kv.value())));
    }
    return items;
  }

  /** {@link #read} with a {@link LogReader}: its log instead of the topic's, no scheduled events. */
  private Fetch readFromLog(Transaction tx, Instant now, long handledUntil) {
    // Kept as it was before scanAll: a log reader reads in its own way (beforeReads first).
    log.beforeReads(tx);
    Keys keys = ctx.keys;
    GroupState state = GroupState.decode(tx.get(keys.state(topic, group, partition)));
    long from = Math.max(state.checkpoint(), handledUntil);
    List<Item> items = requeued(tx.scan(keys.requeuedRange(topic, group, partition),
        ScanOptions.FORWARD.withLimit(fetchSize)).toList());
    if (!items.isEmpty()) {
      Instant nextDue = publisher.nextDue(tx, topic, partition, dueFrom);
      return new Fetch(state, items, nextDue != null && !nextDue.isAfter(now), nextDue, false);
    }
    LogReader.Batch batch = log.readBatch(tx, from, fetchSize);
    for (LogReader.Entry e : batch.entries()) {
      items.add(Item.ofLog(e.position(), e.event(), state));
    }
    // Entries held back (not readable yet): look again soon, as for an event falling due.
    Instant again = batch.held() ? now.plusMillis(HELD_RETRY_MILLIS) : null;
    return new Fetch(state, items, false, again, false);
  }

  @Override
  public void releaseDue(StartReads<?> first) {
    if (log != null) {
      if (first != null) {
        ctx.tito.inTransaction(tx -> first.run(tx));
      }
      return;
    }
    Publisher.Release r = publisher.release(topic, partition, RELEASE_FETCHES * fetchSize,
        expectedDue(), dueFrom, first);
    lastMoved = r.moved();
    dueFrom = r.nextFrom();
    releasedNextDue = r.nextDue();
    released = true;
  }

  /**
   * How many due events the next release's first scan asks for: half as many again as the last
   * release moved, plus {@link #EXPECTED_DUE_MARGIN}. A runner that keeps up moves about the same
   * number each round; one whose due events grow faster reads the rest in a second scan.
   */
  private int expectedDue() {
    return lastMoved + lastMoved / 2 + EXPECTED_DUE_MARGIN;
  }

  @Override
  public void handedOver(long next) {
    expectedFrom = next;
  }

  @Override
  public boolean hasScheduled() {
    return log == null;
  }

  @Override
  public Fetch releaseAndRead(StartReads<GroupState> first, long expectNext) {
    if (log != null || System.nanoTime() - dueRescanAtNanos >= 0) {
      releaseDue(first); // the fetch after it rescans the due range from its start
      return null;
    }
    GroupState[] state = new GroupState[1];
    Publisher.Release r = publisher.release(topic, partition, RELEASE_FETCHES * fetchSize,
        expectedDue(), dueFrom, new StartReads<GroupState>(first.keys(),
            (tx, values) -> state[0] = first.run(tx, values)));
    lastMoved = r.moved();
    dueFrom = r.nextFrom();
    releasedNextDue = r.nextDue();
    released = true;
    GroupState s = state[0];
    if (r.moved() == 0 || r.firstPosition() != expectNext || s.checkpoint() > expectNext) {
      return null;
    }
    // This hand-over takes the place of the fetch after the release: the next fetch looks again.
    released = false;
    List<Item> items = new ArrayList<>(r.moved());
    long position = r.firstPosition();
    for (byte[] bytes : r.events()) {
      items.add(Item.ofLog(position++, bytes, s));
    }
    Instant now = ctx.clock.instant();
    boolean dueNow = r.nextDue() != null && !r.nextDue().isAfter(now);
    return new Fetch(s, items, dueNow, r.nextDue(), true);
  }
}
