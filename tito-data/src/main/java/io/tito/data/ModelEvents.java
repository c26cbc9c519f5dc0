package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.pubsub.Message;
import io.tito.pubsub.Topics;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Events from model writes: the transactional outbox fed by the data layer. Declares, per model,
 * which topics its writes publish to, for which {@linkplain RecordChange.Kind kinds} of write,
 * and what the message is; given to {@link DataStore.Builder#events}, it publishes through
 * {@link Topics#publish(Transaction, String, Message)} inside the writing transaction, so <b>an
 * event exists iff the write committed</b> (a rolled-back or failed write publishes nothing, a
 * retried transaction publishes once).
 *
 * <pre>{@code
 * Tito tito = Tito.builder().url("rocksdb:data")
 *     .with(DataStore.models(users, orders).events(ModelEvents.builder()
 *         .publish(users, "user-events")                   // every kind, default message
 *         .publish(orders, "audit", EnumSet.of(Kind.DELETE),   // only deletes, own message
 *             change -> Message.of("audit", bytes(change)))))
 *     .build();
 * tito.topics().createTopic("user-events");                // topics must exist before writes
 * tito.topics().createTopic("audit");
 * }</pre>
 *
 * <p><b>Default message</b> ({@link #defaultMessage}): partition key = the record id's string
 * form ({@link #partitionKey}), so the events of one record stay in order in one partition;
 * payload = the model codec's bytes of the record after the write (for {@code DELETE}, before
 * it), which is the record's JSON with the default {@link JsonCodec}; headers {@value
 * #CHANGE_HEADER} (the kind's name), {@value #TABLE_HEADER}, {@value #ID_HEADER} and {@value
 * #VERSION_HEADER} (the record version after the write, or before it for a delete).
 *
 * <p>A mapper may return {@code null} to publish nothing for a change (a filter). Publishing to a
 * topic that does not exist fails the write with {@link io.tito.NotFoundException}. Writes to
 * models without declarations publish nothing. Every publish reads and writes the partition's
 * sequence key, so concurrent writers of records in one partition conflict and are retried.
 *
 * <p>The declarations are read once, when the data store opens; publishing is thread-safe
 * (mappers must be thread-safe too).
 */
public final class ModelEvents {

  /** Header holding the {@link RecordChange.Kind} name, e.g. {@code INSERT}. */
  public static final String CHANGE_HEADER = "tito-change";

  /** Header holding the model's table. */
  public static final String TABLE_HEADER = "tito-table";

  /** Header holding the record id's string form ({@link #partitionKey}). */
  public static final String ID_HEADER = "tito-id";

  /** Header holding the record version after the write (before it, for a delete). */
  public static final String VERSION_HEADER = "tito-version";

  /** Every kind of write. */
  public static final Set<RecordChange.Kind> ALL_WRITES = EnumSet.allOf(RecordChange.Kind.class);

  private ModelEvents() {}

  /**
   * A builder of declarations; give it to {@link DataStore.Builder#events}, which publishes
   * through the store's {@code tito.topics()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default message of a change to a record of {@code model}: see the class documentation.
   * Useful to build on in a mapper, e.g. {@code defaultMessage(model, c).deliverAt(later)}.
   */
  @SuppressWarnings("unchecked")
  public static <T> Message defaultMessage(Model<T> model, RecordChange change) {
    Versioned<?> record = change.kind() == RecordChange.Kind.DELETE || change.after() == null
        ? change.before() : change.after();
    byte[] payload = record == null ? new byte[0] : model.codec().encode((T) record.value());
    String key = partitionKey(change.id());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CHANGE_HEADER, change.kind().name());
    headers.put(TABLE_HEADER, change.table());
    headers.put(ID_HEADER, key);
    if (record != null) {
      headers.put(VERSION_HEADER, Long.toString(record.version()));
    }
    return new Message(key, payload, headers, null);
  }

  /**
   * The string form of a record id used as the default partition key: {@code byte[]} ids as
   * lowercase hex, everything else {@link String#valueOf}.
   */
  public static String partitionKey(Object id) {
    return id instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(id);
  }

  private record Declaration(String table, String topic, Set<RecordChange.Kind> kinds,
      Function<RecordChange, Message> mapper) {}

  /** The write hook publishing the declared events through one {@link Topics}. */
  private static final class Hook implements WriteHook {
    private final Topics topics;
    private final Map<String, List<Declaration>> byTable;

    Hook(List<Declaration> declarations, Topics topics) {
      this.topics = topics;
      Map<String, List<Declaration>> m = new HashMap<>();
      for (Declaration d : declarations) {
        m.computeIfAbsent(d.table, t -> new ArrayList<>()).add(d);
      }
      m.replaceAll((t, l) -> List.copyOf(l));
      this.byTable = Map.copyOf(m);
    }

    /** Publishes the declared events of {@code change} in {@code tx}, in declaration order. */
    @Override
    public void onWrite(Transaction tx, RecordChange change) {
      List<Declaration> ds = byTable.get(change.table());
      if (ds == null) {
        return;
      }
      for (Declaration d : ds) {
        if (d.kinds.contains(change.kind())) {
          Message m = d.mapper.apply(change);
          if (m != null) {
            topics.publish(tx, d.topic, m);
          }
        }
      }
    }
  }

  /**
   * Builder of {@link ModelEvents}; not thread-safe. Opening the data store reports every problem
   * at once.
   */
  public static final class Builder {
    private final List<Declaration> declarations = new ArrayList<>();
    private final Set<List<String>> seen = new HashSet<>();
    private final List<String> errors = new ArrayList<>();

    private Builder() {}

    /** The topics {@code table}'s writes publish to, in declaration order (empty if none). */
    public List<String> topicsOf(String table) {
      return declarations.stream().filter(d -> d.table.equals(table)).map(d -> d.topic).toList();
    }

    /** Every write of {@code model} publishes the {@linkplain #defaultMessage default message}. */
    public <T> Builder publish(Model<T> model, String topic) {
      return publish(model, topic, ALL_WRITES);
    }

    /** Writes of {@code model} of the given kinds publish the default message. */
    public <T> Builder publish(Model<T> model, String topic, Set<RecordChange.Kind> kinds) {
      return publish(model, topic, kinds, model == null ? null : c -> defaultMessage(model, c));
    }

    /**
     * Writes of {@code model} of the given kinds publish {@code mapper}'s message (none when it
     * returns null). The mapper runs inside the writing transaction, possibly more than once when
     * the transaction is retried; an exception from it aborts the write.
     */
    public <T> Builder publish(Model<T> model, String topic, Set<RecordChange.Kind> kinds,
        Function<RecordChange, Message> mapper) {
      if (model == null || topic == null || topic.isBlank() || kinds == null || kinds.isEmpty()
          || mapper == null) {
        errors.add("publish needs a model, a topic, at least one kind and a mapper {topic="
            + topic + "}");
        return this;
      }
      if (!seen.add(List.of(model.table(), topic))) {
        errors.add("model already publishes to topic {table=" + model.table() + ", topic="
            + topic + "}");
        return this;
      }
      declarations.add(new Declaration(model.table(), topic, Set.copyOf(kinds), mapper));
      return this;
    }

    /** The hook publishing through {@code topics}. @throws InvalidArgumentException naming every problem */
    WriteHook build(Topics topics) {
      if (topics == null) {
        errors.add("topics must not be null");
      }
      if (!errors.isEmpty()) {
        throw new InvalidArgumentException("invalid model events",
            Map.of("errors", List.copyOf(errors)));
      }
      return new Hook(List.copyOf(declarations), topics);
    }
  }
}
