package io.tito.internal.pubsub;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PartitionRunner}'s bookkeeping for taking local publishes over without a fetch: the
 * wake-up mark its wait after a step compares with, the log position after everything its last
 * step read and handled (with the mark of that step), and the gap before kept events it waits
 * for. Used by the runner's own thread only.
 */
final class HandOverState {

  /**
   * How long a runner waits for the wake-up of a gap before kept events ({@link #take}) before
   * it fetches instead: a local commit's wake-up comes within moments, but one whose outcome its
   * caller never learned (a connection lost during its commit) never runs.
   */
  static final long GAP_WAIT_MILLIS = 200;

  /** Events taken over from {@code expected} on; whether more were kept past them and whether the runner now waits for a gap. */
  record Taken(List<byte[]> events, boolean more, boolean awaitGap) {}

  private final Signals signals;
  private final String topic;
  private final int partition;
  private final int fetchSize;
  /**
   * The wake-up generation the wait after a step compares with: taken before the step's fetch
   * (its snapshot holds every commit signalled before), or after a release that handed its events
   * over when only that release signalled since; the loop's token when the step read nothing.
   */
  private long waitToken;
  /** The {@link Signals.Mark#others()} read with {@link #waitToken}. */
  private long waitOthers;
  /**
   * The log position after everything the last step read and handled (its fetch found all there
   * was, no requeued entry, and every item was handled), or -1: while no wake-up came since
   * {@link #expectToken} (the generation it was read at), the next release's events are the next
   * items if their positions start here, and are handed over without a fetch.
   */
  private long expectNext = -1;
  /** The {@link #waitToken} of the step that set {@link #expectNext}. */
  private long expectToken;
  /**
   * The {@link #waitOthers} of the step that set {@link #expectNext}: while the partition has had
   * no other news than local publishes since, those kept at the positions from {@link
   * #expectNext} on are the next items ({@link #take}).
   */
  private long expectOthers;
  /** The position of the gap this runner waits for, or -1; and since when. */
  private long gapAt = -1;
  private long gapSinceNanos;
  /** Whether the last step's hand-over left the runner waiting for a gap's wake-up. */
  private boolean awaitingGap;

  HandOverState(Signals signals, String topic, int partition, int fetchSize) {
    this.signals = signals;
    this.topic = topic;
    this.partition = partition;
    this.fetchSize = fetchSize;
  }

  /** Makes {@code m} the mark the wait after this step compares with; returns its generation. */
  long waitFrom(Signals.Mark m) {
    waitToken = m.generation();
    waitOthers = m.others();
    return waitToken;
  }

  /** The generation the wait after this step compares with. */
  long waitToken() {
    return waitToken;
  }

  /** Records that this step read and handled everything before log position {@code next}. */
  void expect(long next) {
    expectNext = next;
    expectToken = waitToken;
    expectOthers = waitOthers;
  }

  /** Forgets the expected position: the next step fetches. */
  void forget() {
    expectNext = -1;
  }

  /**
   * At a step's start: the position the last step expected next (-1: none), forgotten from now
   * on (the step sets it again if it ends having read everything); no gap is awaited any more.
   */
  long startStep() {
    long expected = expectNext;
    expectNext = -1;
    awaitingGap = false;
    return expected;
  }

  /** The generation at which the last step set the expected position. */
  long expectToken() {
    return expectToken;
  }

  /** Whether the last hand-over left the runner waiting for a gap's wake-up. */
  boolean awaitingGap() {
    return awaitingGap;
  }

  /**
   * The events local commits published to the partition from log position {@code expected} on,
   * if nothing but local publishes woke it since the last step ({@link Signals#takeHandOffs});
   * else null (fetch). A gap before a kept event is a commit whose wake-up is still to come, or
   * another process's whose notification is: while wake-ups are complete and the missing event
   * was never dropped from the kept ones, the runner hands over what comes before the gap
   * (perhaps nothing) and waits for that wake-up, as for any, at most {@link #GAP_WAIT_MILLIS};
   * else it fetches. Sets the wait mark to the one the events were taken at.
   */
  Taken take(long expected) {
    Signals.Taken t = signals.takeHandOffs(topic, partition, expected, expectOthers, fetchSize);
    if (t == null) {
      return null;
    }
    boolean awaitGap = t.more() && t.gapNeverDropped() && t.events().size() < fetchSize
        && signals.complete() && gapStillYoung(expected + t.events().size());
    awaitingGap = awaitGap;
    if (t.events().isEmpty() && !awaitGap) {
      return null;
    }
    waitFrom(t.mark());
    return new Taken(t.events(), t.more(), awaitGap);
  }

  /**
   * Whether the gap at {@code position} has been waited for less than {@link #GAP_WAIT_MILLIS}
   * (a new gap starts its time now).
   */
  private boolean gapStillYoung(long position) {
    long now = System.nanoTime();
    if (position != gapAt) {
      gapAt = position;
      gapSinceNanos = now;
    }
    return now - gapSinceNanos < TimeUnit.MILLISECONDS.toNanos(GAP_WAIT_MILLIS);
  }
}
