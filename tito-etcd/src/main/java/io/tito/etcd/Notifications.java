package io.tito.etcd;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * The value written to a channel key by a commit that notifies it: {@code 0} for no payload, or
 * {@code 1} followed by the payload in UTF-8. Watchers of the key receive each such write.
 */
final class Notifications {

  private Notifications() {}

  static ByteString encode(String payload) {
    if (payload == null) {
      return ByteString.copyFrom(new byte[] {0});
    }
    return ByteString.copyFrom(new byte[] {1}).concat(ByteString.copyFromUtf8(payload));
  }

  static String decode(ByteString value) {
    if (value.isEmpty() || value.byteAt(0) != 1) {
      return null;
    }
    return value.substring(1).toString(StandardCharsets.UTF_8);
  }
}
