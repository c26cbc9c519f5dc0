package io.tito.testkit;

import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.v;

import io.tito.ByteArrays;
import io.tito.spi.EngineTransaction;
import java.util.function.BiConsumer;

/** One write of a transaction in the matrix, applied to the engine and to the model. */
record Write(String name, BiConsumer<EngineTransaction, byte[]> engineOp, BiConsumer<ReferenceModel, byte[]> modelOp) {
  static Write set(String key, String value) {
    return new Write("set " + p(key), (tx, p) -> tx.set(cat(p, key), v(value)), (m, p) -> m.set(cat(p, key), v(value)));
  }

  static Write clear(String key) {
    return new Write("clear " + p(key), (tx, p) -> tx.clear(cat(p, key)), (m, p) -> m.clear(cat(p, key)));
  }

  static Write clearRange(String begin, String end) {
    return new Write("clearRange [" + p(begin) + ", " + p(end) + ")", (tx, p) -> tx.clearRange(cat(p, begin), cat(p, end)),
        (m, p) -> m.clearRange(cat(p, begin), cat(p, end)));
  }

  private static String p(String key) {
    return ByteArrays.printable(k(key));
  }

  private static byte[] cat(byte[] prefix, String key) {
    return ByteArrays.concat(prefix, k(key));
  }

  @Override
  public String toString() {
    return name;
  }
}
