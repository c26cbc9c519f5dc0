package io.tito.log;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.log.internal.LogReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An exactly-once consumer whose checkpoint lives in a Tito store, under a key of your choice,
 * and is written in the same transaction as the processing's own writes: effect and checkpoint
 * commit together or not at all, so no record's effect is applied twice, even across crashes.
 *
 * <p>It holds the same id lock as {@link LogConsumer#exactlyOnce} (one process per id). It also
 * copies its checkpoint, unforced, to the id's checkpoint file after each commit: a lower bound
 * that the producer's {@link MinimumRetention} reads (the store's value is the truth).
 */
public final class StoreLogConsumer implements AutoCloseable {

  private final Tito tito;
  private final byte[] key;
  private final LogConsumer consumer;

  private StoreLogConsumer(Tito tito, byte[] key, LogConsumer consumer) {
    this.tito = tito;
    this.key = key;
    this.consumer = consumer;
  }

  /**
   * Opens the consumer {@code consumerId} of the log in {@code dir}, with its checkpoint at
   * {@code checkpointKey} of {@code tito} (absent: start at the oldest retained record).
   *
   * @throws InvalidArgumentException for a null argument or a bad id
   * @throws LogLockedException if a consumer with this id is open
   */
  public static StoreLogConsumer open(Path dir, String consumerId, Tito tito,
      byte[] checkpointKey) {
    if (tito == null || checkpointKey == null || checkpointKey.length == 0) {
      throw new InvalidArgumentException("a store and a checkpoint key must be given", Map.of());
    }
    String id = LogConsumer.requireId(consumerId);
    byte[] key = checkpointKey.clone();
    long stored = tito.read(tx -> decode(tx.get(key)));
    long start = stored >= 0 ? stored : LogReader.oldestOffset(dir);
    return new StoreLogConsumer(tito, key,
        LogConsumer.openExactlyOnce(dir, "id-" + id, false, start));
  }

  /** The checkpoint read from the store key's value (-1 if absent). */
  private static long decode(byte[] v) {
    if (v == null) {
      return -1;
    }
    if (v.length != 8) {
      throw new LogException("checkpoint value is not 8 bytes: " + Arrays.toString(v));
    }
    return ByteBuffer.wrap(v).getLong();
  }

  private static byte[] encode(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** The offset of the next record not yet committed. */
  public long checkpoint() {
    return consumer.checkpoint();
  }

  /**
   * Processes records as they come, waiting for new ones, until {@code max} were committed or
   * skipped or {@code fn} answers {@link Outcome#BREAK}. Exceptions from {@code fn} or the store
   * propagate; the record then comes again.
   *
   * @return the number of records committed or skipped
   */
  public long process(long max, StoreRecordProcessor fn) throws InterruptedException {
    return consumer.process(max, adapt(fn));
  }

  /** Processes up to {@code max} records that are there now, without waiting. */
  public long processAvailable(int max, StoreRecordProcessor fn) {
    return consumer.processAvailable(max, adapt(fn));
  }

  private RecordProcessor adapt(StoreRecordProcessor fn) {
    if (fn == null) {
      throw new InvalidArgumentException("processor must be given", Map.of());
    }
    return (record, attempt) -> {
      try {
        return tito.transaction(tx -> {
          long stored = decode(tx.get(key));
          if (stored > record.offset()) {
            throw new LogException("checkpoint at key moved to " + stored
                + " past record " + record.offset() + " outside this consumer");
          }
          Outcome o = fn.process(tx, record, attempt);
          if (o == Outcome.RETRY || o == Outcome.BREAK || o == null) {
            throw new Undo(o);
          }
          tx.set(key, encode(record.offset() + 1));
          return o;
        });
      } catch (Undo u) {
        return u.outcome;
      }
    };
  }

  /** Rolls the transaction back for RETRY and BREAK. */
  private static final class Undo extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Outcome outcome;

    Undo(Outcome outcome) {
      super(null, null, false, false);
      this.outcome = outcome;
    }
  }

  /** Releases the id lock and files. */
  @Override
  public void close() {
    consumer.close();
  }
}
