package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.StatusRuntimeException;
import io.tito.ConflictException;
import io.tito.KeyValueCursor;
import io.tito.spi.BufferedTransaction;
import io.tito.spi.EngineTransaction;
import io.tito.spi.WriteSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction of {@link EtcdEngine}: reads at one etcd revision, taken by a linearizable read
 * at the first read (a transaction that only writes takes none and commits blindly), writes
 * buffered until {@link EtcdCommit}. Not thread-safe.
 */
final class EtcdTransaction extends BufferedTransaction {

  private final EtcdEngine engine;
  private final Map<String, String> notifications = new LinkedHashMap<>();
  /** What this transaction read, when the engine is serializable; else null. */
  private final ReadSet reads;
  private long revision;
  private long snapshotNanos;

  EtcdTransaction(EtcdEngine engine, boolean readOnly) {
    super(readOnly, engine.limits());
    this.engine = engine;
    this.reads = engine.options().serializable() && !readOnly ? new ReadSet() : null;
  }

  private long snapshot() {
    if (revision == 0) {
      try {
        revision = engine.client().currentRevision(engine.keys().probe());
      } catch (StatusRuntimeException e) {
        engine.ensureOpen();
        throw EtcdErrors.failed("begin", e);
      }
      snapshotNanos = System.nanoTime();
    }
    return revision;
  }

  @Override
  protected void checkUsable() {
    engine.ensureOpen();
  }

  @Override
  protected byte[] snapshotGet(byte[] key) {
    long rev = snapshot();
    ByteString etcdKey = engine.keys().data(key);
    RangeResponse r;
    try {
      r = engine.client().range(RangeRequest.newBuilder().setKey(etcdKey).setRevision(rev).build());
    } catch (StatusRuntimeException e) {
      engine.ensureOpen();
      throw EtcdErrors.failed("get", e);
    }
    return found(etcdKey, r);
  }

  @Override
  protected List<byte[]> snapshotGetAll(List<byte[]> keys) {
    long rev = snapshot();
    List<byte[]> out = new ArrayList<>(keys.size());
    int chunk = engine.options().maxTxnOps();
    for (int from = 0; from < keys.size(); from += chunk) {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      List<ByteString> etcdKeys = new ArrayList<>();
      for (byte[] key : keys.subList(from, Math.min(keys.size(), from + chunk))) {
        ByteString etcdKey = engine.keys().data(key);
        etcdKeys.add(etcdKey);
        txn.addSuccess(RequestOp.newBuilder().setRequestRange(
            RangeRequest.newBuilder().setKey(etcdKey).setRevision(rev)));
      }
      TxnResponse response;
      try {
        response = engine.client().txn(txn.build());
      } catch (StatusRuntimeException e) {
        engine.ensureOpen();
        throw EtcdErrors.failed("getAll", e);
      }
      for (int i = 0; i < response.getResponsesCount(); i++) {
        out.add(found(etcdKeys.get(i), response.getResponses(i).getResponseRange()));
      }
    }
    return out;
  }

  /** The value a point read found, recording it when serializable. */
  private byte[] found(ByteString etcdKey, RangeResponse r) {
    KeyValue kv = r.getKvsCount() == 0 ? null : r.getKvs(0);
    if (reads != null) {
      reads.key(etcdKey, kv == null ? 0 : kv.getModRevision());
    }
    return kv == null ? null : kv.getValue().toByteArray();
  }

  @Override
  protected KeyValueCursor snapshotScan(byte[] begin, byte[] end, boolean reverse, int limitHint) {
    long rev = snapshot();
    ByteString from = engine.keys().data(begin);
    ByteString to = engine.keys().data(end);
    return new EtcdCursor(engine, from, to, rev, reverse, limitHint, reads);
  }

  @Override
  public void notifyOnCommit(String channel, String payload) {
    checkUsable();
    if (!isOpen()) {
      return;
    }
    EtcdEngine.checkChannel(channel);
    if (payload != null && payload.length() > EngineTransaction.MAX_PAYLOAD) {
      payload = null;
    }
    if (notifications.containsKey(channel)) {
      String before = notifications.get(channel);
      if (before == null || !before.equals(payload)) {
        notifications.put(channel, null);
      }
    } else {
      notifications.put(channel, payload);
    }
  }

  @Override
  protected void commitWrites(WriteSet writes) {
    if (revision != 0 && System.nanoTime() - snapshotNanos > engine.options().maxTransactionAge().toNanos()) {
      throw new ConflictException("transaction is older than the engine's maxTransactionAge",
          Map.of("engine", EtcdEngineProvider.NAME,
              "maxTransactionAgeMillis", engine.options().maxTransactionAge().toMillis()));
    }
    new EtcdCommit(engine, writes, revision, reads, notifications).run();
  }

  @Override
  protected void release() {
    notifications.clear();
    if (reads != null) {
      reads.clear();
    }
  }
}
