package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a serializable transaction read (see {@link EtcdEngineOptions#serializable()}): each key
 * read, with the {@code mod_revision} seen (0 when absent), and each key range a scan covered.
 * At commit they become compares: each key still has the {@code mod_revision} seen (a key deleted
 * since has 0, one created since has more), and each range holds no key modified after the
 * snapshot (range compares catch insertions and updates; deletions of the keys the scan returned
 * are caught by their per-key compares, since a range compare cannot see a deleted key). So the
 * commit applies only if everything the transaction read is unchanged at its commit point.
 * Not thread-safe (one transaction).
 */
final class ReadSet {

  private final Map<ByteString, Long> keys = new TreeMap<>(ByteStrings::compare);
  private final List<ByteString[]> ranges = new ArrayList<>();

  /** A key read (an etcd key) and its {@code mod_revision} at the snapshot, 0 if absent. */
  void key(ByteString etcdKey, long modRevision) {
    keys.putIfAbsent(etcdKey, modRevision);
  }

  /** A range {@code [begin, end)} of etcd keys a scan covered; merged with the last one if they touch. */
  void range(ByteString begin, ByteString end) {
    if (ByteStrings.compare(begin, end) >= 0) {
      return;
    }
    if (!ranges.isEmpty()) {
      // The pages of one scan touch each other: one compare covers them all.
      ByteString[] last = ranges.get(ranges.size() - 1);
      if (last[1].equals(begin)) {
        last[1] = end;
        return;
      }
      if (last[0].equals(end)) {
        last[0] = begin;
        return;
      }
    }
    ranges.add(new ByteString[] {begin, end});
  }

  /** Forgets everything (the transaction ended). */
  void clear() {
    keys.clear();
    ranges.clear();
  }

  /** The compares that hold iff nothing read changed since {@code snapshot}. */
  List<Compare> compares(long snapshot) {
    List<Compare> out = new ArrayList<>(keys.size() + ranges.size());
    for (ByteString[] r : ranges) {
      out.add(Compare.newBuilder().setKey(r[0]).setRangeEnd(r[1]).setTarget(Compare.CompareTarget.MOD)
          .setResult(Compare.CompareResult.LESS).setModRevision(snapshot + 1).build());
    }
    for (Map.Entry<ByteString, Long> k : keys.entrySet()) {
      out.add(Compare.newBuilder().setKey(k.getKey()).setTarget(Compare.CompareTarget.MOD)
          .setResult(Compare.CompareResult.EQUAL).setModRevision(k.getValue()).build());
    }
    return out;
  }
}
