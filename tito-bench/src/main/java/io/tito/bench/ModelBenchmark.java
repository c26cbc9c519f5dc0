package io.tito.bench;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The data layer on RocksDB (durability none) with {@code size} records already stored, each
 * with two indexes (a unique email, a composite (city, age)):
 * <ul>
 *   <li>{@code insert}: one new record per transaction, both indexes maintained (ops/s);
 *   <li>{@code pointRead}: {@code findById} of a random record (us/op);
 *   <li>{@code firstPageQuery}: first page of 20 of {@code city = ? and age >= ?} (us/op).
 * </ul>
 * Loading happens in the trial setup, 1000 records per transaction.
 */
@State(Scope.Benchmark)
public class ModelBenchmark {

  /** A benchmarked record: about 100 bytes of JSON. */
  public record Person(long id, String email, String city, int age, String name) {}

  static final int CITIES = 100;

  static final Model<Person> PEOPLE = Model.builder(Person.class, "people")
      .id(Person::id)
      .index("by_email", ix -> ix.field("email", Person::email).unique())
      .index("by_city_age", ix -> ix.field("city", Person::city).field("age", Person::age))
      .build();

  @Param({"10000", "100000"})
  public int size;

  @Param({"rocksdb-none"})
  public String store;

  private Path dir;
  private Tito tito;
  private ModelStore<Person> people;
  private final AtomicLong nextId = new AtomicLong();

  static Person person(long i) {
    return new Person(i, "user" + i + "@example.com", "city-" + (i % CITIES), (int) (i * 7 % 90),
        "Person number " + i);
  }

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = BenchStores.tempDir();
    tito = BenchStores.open(store, dir);
    people = DataStore.models().model(PEOPLE).open(tito).store(PEOPLE);
    for (int start = 0; start < size; start += 1000) {
      int from = start;
      tito.inTransaction(tx -> {
        for (long i = from; i < Math.min(from + 1000, size); i++) {
          people.insert(tx, person(i));
        }
      });
    }
    nextId.set(size);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    tito.close();
    BenchStores.delete(dir);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long insert() {
    return people.insert(person(nextId.getAndIncrement())).version();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object pointRead() {
    long id = ThreadLocalRandom.current().nextLong(size);
    return people.findById(id).orElseThrow();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int firstPageQuery() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    Page<Person> page = people.query("by_city_age").eq("city-" + r.nextInt(CITIES))
        .ge(r.nextInt(60)).limit(20).page();
    return page.items().size();
  }
}
