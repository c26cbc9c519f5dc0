package io.tito.internal.pubsub;

import io.tito.tuple.Tuple;

/**
 * A group's state in one partition, stored at ("g", topic, group, p). {@code epoch} is the
 * fencing token: whoever takes the partition's lease writes it here too, so any transaction that
 * advances the checkpoint under an older epoch either sees the new epoch or conflicts on this key.
 *
 * @param checkpoint next log position to consume
 * @param attempts failed attempts of the log event at the checkpoint (a requeued entry keeps its own
 *     count in its {@link Requeued} entry)
 * @param epoch epoch of the lease the last writer held
 * @param retryAtMillis earliest time of the next attempt after a failure
 * @param lastError description of the last failure, or null
 */
public record GroupState(long checkpoint, int attempts, long epoch, long retryAtMillis, String lastError) {

  public byte[] encode() {
    return Tuple.of(checkpoint, attempts, epoch, retryAtMillis, lastError).pack();
  }

  public static GroupState decode(byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    return new GroupState(t.getLong(0), (int) t.getLong(1), t.getLong(2), t.getLong(3),
        t.isNull(4) ? null : t.getString(4));
  }

  GroupState advancedTo(long next) {
    return new GroupState(next, 0, epoch, 0, null);
  }

  /**
   * One more failure of the log event at {@code position}, the first unconsumed one: the
   * checkpoint moves onto it (no move in a dense log; in a log with gaps, past positions that hold
   * nothing), so that the count belongs to it.
   */
  GroupState failedAt(long position, long retryAt, String error) {
    int before = position == checkpoint ? attempts : 0;
    return new GroupState(position, before + 1, epoch, retryAt, error);
  }

  GroupState withEpoch(long value) {
    return new GroupState(checkpoint, attempts, value, retryAtMillis, lastError);
  }
}
