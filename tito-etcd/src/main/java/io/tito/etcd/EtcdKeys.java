package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.tito.ByteArrays;
import java.nio.charset.StandardCharsets;

/**
 * The etcd keys of one engine namespace {@code N}: data at {@code N k <key>}, clear records at
 * {@code N c <id>}, commit markers at {@code N m <id>}, notification channels at {@code N n
 * <channel>}, and {@code N p}, never written, read to learn the current revision. Immutable.
 */
final class EtcdKeys {

  private final ByteString data;
  private final ByteString clears;
  private final ByteString clearsEnd;
  private final ByteString markers;
  private final ByteString notify;
  private final ByteString probe;

  EtcdKeys(String namespace) {
    ByteString n = ByteString.copyFromUtf8(namespace);
    data = n.concat(ByteString.copyFromUtf8("k"));
    clears = n.concat(ByteString.copyFromUtf8("c"));
    clearsEnd = ByteString.copyFrom(ByteArrays.strinc(clears.toByteArray()));
    markers = n.concat(ByteString.copyFromUtf8("m"));
    notify = n.concat(ByteString.copyFromUtf8("n"));
    probe = n.concat(ByteString.copyFromUtf8("p"));
  }

  ByteString data(byte[] key) {
    return data.concat(ByteString.copyFrom(key));
  }

  /** The user key of a data key. */
  byte[] userKey(ByteString etcdKey) {
    return etcdKey.substring(data.size()).toByteArray();
  }

  ByteString clearRecord(String id) {
    return clears.concat(ByteString.copyFromUtf8(id));
  }

  ByteString clearsBegin() {
    return clears;
  }

  ByteString clearsEnd() {
    return clearsEnd;
  }

  ByteString marker(String id) {
    return markers.concat(ByteString.copyFromUtf8(id));
  }

  ByteString channel(String name) {
    return notify.concat(ByteString.copyFrom(name, StandardCharsets.UTF_8));
  }

  ByteString probe() {
    return probe;
  }
}
