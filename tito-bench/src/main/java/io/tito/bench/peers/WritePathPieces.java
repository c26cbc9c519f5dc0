package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import io.tito.data.Index;
import io.tito.data.Model;
import io.tito.internal.data.IndexMaintainer;
import io.tito.internal.data.StoredRecord;
import io.tito.internal.data.ValueIndexMaintainer;
import io.tito.internal.pubsub.EventCodec;
import io.tito.spi.SnapshotRegistry;
import io.tito.spi.WriteSet;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * CPU and allocation per operation of pieces of the relaxed embedded write (issue 17, relax5),
 * each alone in a loop on one thread: figures that a whole transaction's writer CPU (±10 % between
 * runs on a shared machine) cannot resolve. Pieces: a writer's snapshot registration cycle, the
 * event envelope of {@link EmbeddedWriteHarness}'s 100-byte payload, the index entries of its
 * person (two indexes), one sequenced append with its materialisation in a write set.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.peers.WritePathPieces [ops=300000]}; prints per
 * piece the median and minimum of five timed loops (after five warm-up loops) of the thread's CPU
 * ns per operation ({@code ThreadMXBean}) and the bytes it allocated per operation.
 */
public final class WritePathPieces {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static long sink;

  private WritePathPieces() {}

  /** A person as {@link WriteSystems.Person}, declared here to build the model's indexes alone. */
  record Person(long id, String email, String city, int age, String name) {}

  public static void main(String[] args) {
    int ops = Integer.parseInt(BenchArgs.parse(args).getOrDefault("ops", "300000"));
    Map<String, LongConsumer> pieces = new LinkedHashMap<>();
    SnapshotRegistry registry = new SnapshotRegistry("pieces", Duration.ofMinutes(5));
    long[] version = {0};
    pieces.put("registry: register, raiseFloorIfAlone, advanceFloor, release", i -> {
      SnapshotRegistry.Registration r = registry.register(version[0]);
      version[0]++;
      registry.raiseFloorIfAlone(r, version[0]);
      sink += registry.advanceFloor(version[0]);
      registry.release(r);
    });
    UUID id = UUID.randomUUID();
    Instant now = Instant.now();
    pieces.put("EventCodec.encode, 100-byte payload (a long, then zeros)", i -> {
      byte[] payload = new byte[WriteSystems.EVENT_BYTES];
      ByteBuffer.wrap(payload).putLong(i);
      sink += EventCodec.encode(id, "user" + i + "@example.com", payload, Map.of(), now, null).length;
    });
    Model<Person> model = Model.builder(Person.class, "people").id(Person::id)
        .index("by_email", ix -> ix.field("email", Person::email).unique())
        .index("by_city_age", ix -> ix.field("city", Person::city).field("age", Person::age))
        .build();
    List<ValueIndexMaintainer<Person>> maintainers = new ArrayList<>();
    for (Index<Person> ix : model.indexes()) {
      maintainers.add(new ValueIndexMaintainer<>("people", ix,
          Subspace.of("t", "people", "ix", ix.name())));
    }
    byte[] raw = {1, 2, 3};
    pieces.put("index entries of a person, two indexes", i -> {
      Person p = new Person(i, "user" + i + "@example.com", "city-" + (i % 100), (int) (i * 7 % 90), "n");
      IndexMaintainer.RecordState<Person> state = new IndexMaintainer.RecordState<>(p,
          new StoredRecord(1, false, null, null, raw), raw);
      for (ValueIndexMaintainer<Person> m : maintainers) {
        sink += m.entries(model.idOf(p), state).size();
      }
    });
    byte[] counter = Subspace.of("t", "seq", "orders", 3L).key();
    byte[] prefix = Subspace.of("t", "log", "orders", 3L).key();
    List<byte[]> latest = List.of(Tuple.of(41L).pack());
    pieces.put("WriteSet: one sequenced append, materialised", i -> {
      WriteSet w = new WriteSet();
      w.putSequenced(counter, prefix, new byte[] {1, 2});
      w.materialiseSequences(k -> latest);
      sink += w.sequenceStart(counter);
    });
    for (Map.Entry<String, LongConsumer> e : pieces.entrySet()) {
      for (int w = 0; w < 5; w++) {
        measure(e.getValue(), ops);
      }
      double[] cpu = new double[5];
      double allocated = 0;
      for (int r = 0; r < cpu.length; r++) {
        double[] m = measure(e.getValue(), ops);
        cpu[r] = m[0];
        allocated = m[1];
      }
      Arrays.sort(cpu);
      System.out.printf(Locale.ROOT, "%-62s cpu ns/op median %7.1f (min %7.1f), allocated B/op %6.0f%n",
          e.getKey(), cpu[2], cpu[0], allocated);
    }
    System.out.println(sink == 42 ? "." : "");
  }

  /** CPU ns and allocated bytes per operation of {@code ops} runs of {@code piece}. */
  private static double[] measure(LongConsumer piece, int ops) {
    long thread = Thread.currentThread().threadId();
    long a0 = THREADS.getThreadAllocatedBytes(thread);
    long c0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < ops; i++) {
      piece.accept(i);
    }
    long c1 = THREADS.getCurrentThreadCpuTime();
    long a1 = THREADS.getThreadAllocatedBytes(thread);
    return new double[] {(c1 - c0) / (double) ops, (a1 - a0) / (double) ops};
  }
}
