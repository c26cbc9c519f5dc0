package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.StatusRuntimeException;
import io.tito.Backoff;
import io.tito.ByteArrays;
import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.LimitExceededException;
import io.tito.StorageException;
import io.tito.spi.WriteSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Commits one write set as a single etcd Txn, first committer wins.
 *
 * <p>For a transaction whose snapshot is revision {@code R} the Txn compares: each written key
 * has {@code mod_revision <= R} (absent keys pass), each cleared range holds no key with {@code
 * mod_revision > R} (range compares, which jetcd's own client cannot send), and no clear record
 * was written after the last revision checked. Deletions leave nothing a compare could see, so a
 * commit that clears anything also writes a clear record listing what it cleared; when the Txn
 * fails because of new clear records, the records are read in the same Txn's failure branch and
 * the commit conflicts only if one overlaps its writes, else it is retried against them. A
 * transaction that never read has no snapshot and commits without compares.
 *
 * <p>Every Txn also writes a marker key under a short lease, and compares it absent. If the answer is
 * lost (deadline, member or leader loss) the outcome is settled by a second Txn that writes the
 * marker if it is still absent, fencing the first out: then the first was not and never will be
 * applied; if the marker exists, the commit was applied. Only when that also fails is {@link
 * CommitUnknownException} thrown.
 */
final class EtcdCommit {

  /** Settling a commit whose answer was lost: 50 ms doubling to 1 s, no jitter. */
  private static final Backoff SETTLE = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1),
      Backoff.Jitter.NONE);

  private static final int MAX_RECORD_RETRIES = 32;
  private static final ByteString COMMITTED = ByteString.copyFromUtf8("committed");
  private static final ByteString FENCED = ByteString.copyFromUtf8("fenced");

  private final EtcdEngine engine;
  private final WriteSet writes;
  private final long snapshot;
  private final ReadSet reads;
  private final Map<String, String> notifications;
  private final String id = UUID.randomUUID().toString();

  /**
   * @param snapshot revision the transaction read at, or 0 if it never read
   * @param reads what the transaction read, to compare (serializable engines), or null
   * @param notifications channel to payload ({@code null} payload: none, or several merged)
   */
  EtcdCommit(EtcdEngine engine, WriteSet writes, long snapshot, ReadSet reads, Map<String, String> notifications) {
    this.engine = engine;
    this.writes = writes;
    this.snapshot = snapshot;
    this.reads = reads;
    this.notifications = notifications;
  }

  void run() {
    EtcdKeys keys = engine.keys();
    NavigableMap<byte[], byte[]> points = writes.points();
    NavigableMap<byte[], byte[]> ranges = writes.clearedRangeMap();
    long recordLease = engine.recordLease().get();
    long markerLease = engine.markerLease().get();
    List<RequestOp> ops = operations(keys, points, ranges, recordLease, markerLease);
    long checked = snapshot;
    for (int attempt = 0; ; attempt++) {
      TxnRequest request = request(keys, points, ranges, ops, checked);
      checkSize(request);
      TxnResponse response;
      try {
        response = engine.client().txn(request);
      } catch (StatusRuntimeException e) {
        engine.ensureOpen();
        if (EtcdErrors.isLeaseGone(e) && attempt == 0) {
          engine.recordLease().forget(recordLease);
          engine.markerLease().forget(markerLease);
          recordLease = engine.recordLease().get();
          markerLease = engine.markerLease().get();
          ops = operations(keys, points, ranges, recordLease, markerLease);
          continue;
        }
        if (EtcdErrors.isNoSpace(e)) {
          if (markerWritten(keys)) {
            return; // the commit that crossed the quota: applied, and answered with NOSPACE
          }
          throw EtcdErrors.failed("commit", e);
        }
        if (EtcdErrors.outcomeUnknown(e)) {
          settle(keys, markerLease, e);
          return;
        }
        throw EtcdErrors.failed("commit", e);
      }
      if (response.getSucceeded()) {
        return;
      }
      List<KeyValue> records = new ArrayList<>();
      for (ResponseOp r : response.getResponsesList()) {
        records.addAll(r.getResponseRange().getKvsList());
      }
      if (records.isEmpty()) {
        throw conflict(reads == null ? "a key this transaction writes was written after its snapshot"
            : "a key this transaction writes or read was written after its snapshot", null);
      }
      for (KeyValue record : records) {
        for (byte[][] range : ClearRecords.decode(record.getValue())) {
          if (ClearRecords.overlaps(range[0], range[1], points, ranges)) {
            throw conflict("a key this transaction writes was cleared after its snapshot", range[0]);
          }
        }
      }
      if (attempt >= MAX_RECORD_RETRIES) {
        throw conflict("clear records kept arriving; gave up checking them", null);
      }
      checked = response.getHeader().getRevision();
    }
  }

  private List<RequestOp> operations(EtcdKeys keys, NavigableMap<byte[], byte[]> points,
      NavigableMap<byte[], byte[]> ranges, long recordLease, long markerLease) {
    List<RequestOp> ops = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
      // etcd refuses a Txn that writes a key twice: cut the range around the points set in it.
      byte[] from = r.getKey();
      for (byte[] p : points.subMap(r.getKey(), true, r.getValue(), false).keySet()) {
        deleteRange(ops, keys, from, p);
        from = ByteArrays.keyAfter(p);
      }
      deleteRange(ops, keys, from, r.getValue());
    }
    for (Map.Entry<byte[], byte[]> p : points.entrySet()) {
      ByteString key = keys.data(p.getKey());
      if (p.getValue() == null) {
        ops.add(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build());
      } else {
        ops.add(RequestOp.newBuilder().setRequestPut(
            PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(p.getValue()))).build());
      }
    }
    ByteString record = ClearRecords.encode(points, ranges);
    if (record != null) {
      ops.add(put(keys.clearRecord(id), record, recordLease));
    }
    for (Map.Entry<String, String> n : notifications.entrySet()) {
      ops.add(put(keys.channel(n.getKey()), Notifications.encode(n.getValue()), 0));
    }
    ops.add(put(keys.marker(id), COMMITTED, markerLease));
    return ops;
  }

  private static void deleteRange(List<RequestOp> ops, EtcdKeys keys, byte[] begin, byte[] end) {
    if (ByteArrays.compare(begin, end) < 0) {
      ops.add(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
          .setKey(keys.data(begin)).setRangeEnd(keys.data(end))).build());
    }
  }

  private static RequestOp put(ByteString key, ByteString value, long lease) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease))
        .build();
  }

  private TxnRequest request(EtcdKeys keys, NavigableMap<byte[], byte[]> points,
      NavigableMap<byte[], byte[]> ranges, List<RequestOp> ops, long checked) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    txn.addCompare(Compare.newBuilder().setKey(keys.marker(id)).setTarget(Compare.CompareTarget.VERSION)
        .setResult(Compare.CompareResult.EQUAL).setVersion(0));
    if (snapshot > 0) {
      for (byte[] key : points.keySet()) {
        txn.addCompare(notModifiedSince(keys.data(key), null, snapshot));
      }
      for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
        txn.addCompare(notModifiedSince(keys.data(r.getKey()), keys.data(r.getValue()), snapshot));
      }
      if (reads != null) {
        txn.addAllCompare(reads.compares(snapshot));
      }
      txn.addCompare(notModifiedSince(keys.clearsBegin(), keys.clearsEnd(), checked));
      txn.addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
          .setKey(keys.clearsBegin()).setRangeEnd(keys.clearsEnd()).setMinModRevision(checked + 1)));
    }
    txn.addAllSuccess(ops);
    return txn.build();
  }

  private static Compare notModifiedSince(ByteString key, ByteString rangeEnd, long revision) {
    Compare.Builder c = Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
        .setResult(Compare.CompareResult.LESS).setModRevision(revision + 1);
    if (rangeEnd != null) {
      c.setRangeEnd(rangeEnd);
    }
    return c.build();
  }

  private void checkSize(TxnRequest request) {
    int maxOps = engine.options().maxTxnOps();
    int bytes = request.getSerializedSize();
    if (request.getCompareCount() > maxOps || request.getSuccessCount() > maxOps
        || bytes > engine.options().maxRequestBytes()) {
      throw new LimitExceededException("transaction is larger than the etcd cluster accepts",
          Map.of("engine", EtcdEngineProvider.NAME, "compares", request.getCompareCount(),
              "operations", request.getSuccessCount(), "maxTxnOps", maxOps, "requestBytes", bytes,
              "maxRequestBytes", engine.options().maxRequestBytes()));
    }
  }

  /** Whether this commit's marker exists, by a linearizable read; unknown if that read fails. */
  private boolean markerWritten(EtcdKeys keys) {
    try {
      List<KeyValue> found = engine.client().range(RangeRequest.newBuilder().setKey(keys.marker(id)).build())
          .getKvsList();
      return !found.isEmpty() && found.get(0).getValue().equals(COMMITTED);
    } catch (StatusRuntimeException e) {
      throw new CommitUnknownException("the outcome of the commit is unknown: the cluster flagged it for its"
          + " space quota and did not answer whether it applied it",
          Map.of("engine", EtcdEngineProvider.NAME, "cause", EtcdErrors.message(e)), e);
    }
  }

  /** Settles a commit whose answer was lost, by fencing its marker (see the class comment). */
  private void settle(EtcdKeys keys, long lease, StatusRuntimeException lost) {
    ByteString marker = keys.marker(id);
    TxnRequest fence = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(marker).setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.EQUAL).setVersion(0))
        .addSuccess(put(marker, FENCED, lease))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(marker)))
        .build();
    StatusRuntimeException last = lost;
    long deadline = System.nanoTime() + 3 * engine.options().requestTimeout().toNanos();
    int failures = 0;
    while (true) {
      engine.ensureOpen();
      try {
        TxnResponse r = engine.client().txn(fence);
        List<KeyValue> found = r.getSucceeded() ? List.of() : r.getResponses(0).getResponseRange().getKvsList();
        if (!found.isEmpty() && found.get(0).getValue().equals(COMMITTED)) {
          return;
        }
        throw new StorageException("commit was not applied: its answer was lost and the engine fenced it out",
            Map.of("engine", EtcdEngineProvider.NAME, "cause", EtcdErrors.message(lost)), lost, true);
      } catch (StatusRuntimeException e) {
        last = e;
        if (EtcdErrors.isLeaseGone(e)) {
          break; // the marker may have been applied and expired with its lease: cannot tell
        } else if (!EtcdErrors.outcomeUnknown(e) && !EtcdErrors.isTransient(e)) {
          break;
        }
      }
      long backoffNanos = SETTLE.delayNanos(++failures);
      if (System.nanoTime() + backoffNanos > deadline) {
        break;
      }
      // A leader election takes about a second: back off instead of spinning on "no leader".
      LockSupport.parkNanos(backoffNanos);
    }
    throw new CommitUnknownException("the outcome of the commit is unknown: the etcd cluster did not answer",
        Map.of("engine", EtcdEngineProvider.NAME, "cause", EtcdErrors.message(last)), last);
  }

  private ConflictException conflict(String why, byte[] key) {
    return new ConflictException("transaction conflicts with a concurrent commit: " + why,
        key == null
            ? Map.of("engine", EtcdEngineProvider.NAME, "snapshotRevision", snapshot)
            : Map.of("engine", EtcdEngineProvider.NAME, "snapshotRevision", snapshot,
                "key", ByteArrays.printable(key)));
  }
}
