package io.tito.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tito.*} settings of the starter. Exactly one engine source must be given: {@code
 * tito.url} (any engine URL, e.g. {@code rocksdb:/var/lib/app/tito} or {@code
 * jdbc:postgresql://db/app?table=tito_kv}) or {@code tito.data-source.enabled=true} (the JDBC
 * engine on the application's {@code DataSource} bean). Every value is checked when the context
 * starts ({@link #validate()}); a bad one fails the start with a message naming the property.
 */
@ConfigurationProperties(prefix = "tito")
public class TitoProperties {

  /** Whether the starter configures Tito at all; default true. */
  private boolean enabled = true;

  /** Engine URL, as for Tito.open(url), e.g. rocksdb:/var/lib/app/tito. Unset when the data source is used. */
  private String url;

  private final DataSourceEngine dataSource = new DataSourceEngine();
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final Subscription subscription = new Subscription();
  private final Listeners listeners = new Listeners();

  /** Settings with every default; Spring binds {@code tito.*} onto them. */
  public TitoProperties() {}

  /** Whether the starter configures Tito; false backs it off entirely. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the starter configures Tito. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The engine URL; null when unset. */
  public String getUrl() {
    return url;
  }

  /** Sets the engine URL. */
  public void setUrl(String url) {
    this.url = url;
  }

  /** The JDBC engine on the application's DataSource ({@code tito.data-source.*}). */
  public DataSourceEngine getDataSource() {
    return dataSource;
  }

  /** Topics created (or checked equal) at start-up, by name ({@code tito.topics.<name>.*}). */
  public Map<String, Topic> getTopics() {
    return topics;
  }

  /** Defaults of every {@code @TitoListener} subscription ({@code tito.subscription.*}). */
  public Subscription getSubscription() {
    return subscription;
  }

  /** Listener container settings ({@code tito.listeners.*}). */
  public Listeners getListeners() {
    return listeners;
  }

  /**
   * Checks the settings as a whole.
   *
   * @throws IllegalStateException naming the property at fault: no engine source or both, a
   *     blank URL, fewer than one partition (values the engine or {@code SubscribeOptions} refuse
   *     are reported by them, with the property named by the starter)
   */
  public void validate() {
    boolean hasUrl = url != null;
    if (hasUrl && url.isBlank()) {
      throw new IllegalStateException("tito.url is blank: set an engine URL such as "
          + "rocksdb:/path/to/dir, or remove it and set tito.data-source.enabled=true");
    }
    if (hasUrl == dataSource.isEnabled()) {
      throw new IllegalStateException(hasUrl
          ? "tito.url and tito.data-source.enabled=true are both set: choose one engine source"
          : "no Tito engine configured: set tito.url (e.g. rocksdb:/path/to/dir) or "
              + "tito.data-source.enabled=true to use the application's DataSource");
    }
    topics.forEach((name, topic) -> {
      if (topic.getPartitions() != null && topic.getPartitions() < 1) {
        throw new IllegalStateException("tito.topics." + name + ".partitions must be at least 1: "
            + topic.getPartitions());
      }
    });
  }

  /** The JDBC engine on the application's DataSource. */
  public static class DataSourceEngine {
    /** Settings with every default. */
    public DataSourceEngine() {}

    /** Whether the engine uses the application's DataSource bean; default false. */
    private boolean enabled;
    /** Base table name of the store; default tito_kv. */
    private String table = "tito_kv";
    /** Schema of the tables; default the dialect's (PostgreSQL public, MariaDB the database). */
    private String schema;

    /** Whether the application's DataSource is used. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the application's DataSource is used. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The base table name; default tito_kv. */
    public String getTable() {
      return table;
    }

    /** Sets the base table name. */
    public void setTable(String table) {
      this.table = table;
    }

    /** The schema; null for the dialect's default. */
    public String getSchema() {
      return schema;
    }

    /** Sets the schema. */
    public void setSchema(String schema) {
      this.schema = schema;
    }
  }

  /** One topic created at start-up; unset values take {@code TopicConfig.DEFAULTS}. */
  public static class Topic {
    /** Settings with every default. */
    public Topic() {}

    /** Partitions, fixed at creation. */
    private Integer partitions;
    /** How long consumed events are kept. */
    private Duration retention;

    /** The partitions; null for the default. */
    public Integer getPartitions() {
      return partitions;
    }

    /** Sets the partitions. */
    public void setPartitions(Integer partitions) {
      this.partitions = partitions;
    }

    /** The retention; null for the default. */
    public Duration getRetention() {
      return retention;
    }

    /** Sets the retention. */
    public void setRetention(Duration retention) {
      this.retention = retention;
    }
  }

  /** Subscription defaults; unset values take {@code SubscribeOptions.DEFAULTS}. */
  public static class Subscription {
    /** Settings with every default. */
    public Subscription() {}

    /** Where a new group starts: earliest (the default) or latest. */
    private Start start;
    /** Attempts per event before it is dead-lettered; default 10. */
    private Integer maxAttempts;
    /** Delay before the second attempt, doubling per attempt; default 100 ms. */
    private Duration initialBackoff;
    /** Cap of the retry delay; default 30 s. */
    private Duration maxBackoff;
    /** Handlers one listener runs at once; default 16. */
    private Integer concurrency;
    /** How long one handler call may run; default 5 min. */
    private Duration handlerTimeout;
    /** How long stopping a listener waits for in-flight handlers; default 30 s. */
    private Duration shutdownTimeout;
    /** Longest an idle partition waits before looking again without a wake-up; default 1 s. */
    private Duration pollInterval;
    /** Most handled events of a partition checkpointed in one commit; default 64 (1: every event). */
    private Integer checkpointEvery;
    /** Longest the first handled event waits for its checkpoint commit; default 100 ms. */
    private Duration checkpointDelay;

    /** Handled events per checkpoint commit; null for the default. */
    public Integer getCheckpointEvery() {
      return checkpointEvery;
    }

    /**
     * Sets the most handled events of a partition checkpointed in one commit (a crash delivers at
     * most that many again per partition; see {@code SubscribeOptions.checkpointDelay}).
     */
    public void setCheckpointEvery(Integer checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
    }

    /** The checkpoint delay; null for the default. */
    public Duration getCheckpointDelay() {
      return checkpointDelay;
    }

    /** Sets how long the first handled event may wait for its checkpoint commit. */
    public void setCheckpointDelay(Duration checkpointDelay) {
      this.checkpointDelay = checkpointDelay;
    }

    /** Where a new group starts; null for the default (earliest). */
    public Start getStart() {
      return start;
    }

    /** Sets where a new group starts. */
    public void setStart(Start start) {
      this.start = start;
    }

    /** Attempts per event; null for the default. */
    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    /** Sets the attempts per event. */
    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /** The initial backoff; null for the default. */
    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    /** Sets the initial backoff. */
    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    /** The maximum backoff; null for the default. */
    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    /** Sets the maximum backoff. */
    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    /** Handlers run at once; null for the default. */
    public Integer getConcurrency() {
      return concurrency;
    }

    /** Sets the handlers run at once. */
    public void setConcurrency(Integer concurrency) {
      this.concurrency = concurrency;
    }

    /** The handler timeout; null for the default. */
    public Duration getHandlerTimeout() {
      return handlerTimeout;
    }

    /** Sets the handler timeout. */
    public void setHandlerTimeout(Duration handlerTimeout) {
      this.handlerTimeout = handlerTimeout;
    }

    /** The shutdown timeout; null for the default. */
    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    /** Sets the shutdown timeout. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }

    /** The poll interval; null for the default. */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /** Sets the poll interval. */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }
  }

  /** Where a new consumer group starts. */
  public enum Start {
    /** At the earliest retained event. */
    EARLIEST,
    /** After the latest event. */
    LATEST
  }

  /** Listener container settings. */
  public static class Listeners {
    /** Settings with every default. */
    public Listeners() {}

    /** Whether @TitoListener methods start with the context; default true. */
    private boolean autoStartup = true;

    /** Whether listeners start with the context. */
    public boolean isAutoStartup() {
      return autoStartup;
    }

    /** Sets whether listeners start with the context. */
    public void setAutoStartup(boolean autoStartup) {
      this.autoStartup = autoStartup;
    }
  }
}
