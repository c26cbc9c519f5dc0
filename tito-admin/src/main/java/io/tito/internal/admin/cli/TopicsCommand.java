package io.tito.internal.admin.cli;

import io.tito.admin.GroupInfo;
import io.tito.admin.TopicInfo;
import io.tito.internal.admin.Views;
import io.tito.pubsub.PartitionStatus;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tito topics list|status|lag}. */
@Command(name = "topics", description = "Topics: list, status, lag per group and partition.",
    mixinStandardHelpOptions = true)
final class TopicsCommand {

  private final Session session;

  TopicsCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "Every topic with its partitions, events and groups "
      + "(without the event store's hidden $events topic unless --all).")
  int list(@Mixin Common common,
      @Option(names = "--all", description = "Also the hidden topics modules keep for themselves "
          + "($events: its groups are projections and subscriptions).") boolean all) {
    List<TopicInfo> topics = session.admin().topics(all);
    if (session.json()) {
      session.printJson(Views.list(topics, Views::topic));
      return 0;
    }
    Table t = new Table("TOPIC", "PARTITIONS", "RETENTION", "EVENTS", "GROUPS");
    for (TopicInfo i : topics) {
      t.row(i.name(), i.partitions(), i.retention(), i.events(), String.join(",", i.groups()));
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "status", description = "A topic and the lag of each of its groups.")
  int status(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic) {
    TopicInfo info = session.admin().topic(topic);
    List<GroupInfo> groups = session.admin().groups(topic);
    if (session.json()) {
      Map<String, Object> m = Views.topic(info);
      m.put("groups", Views.list(groups, Views::group));
      session.printJson(m);
      return 0;
    }
    session.out().printf("topic %s: %d partitions, retention %s, %d events%n", info.name(),
        info.partitions(), info.retention(), info.events());
    Table t = new Table("GROUP", "LAG", "DEAD-LETTERS", "MEMBERS", "UNOWNED-PARTITIONS");
    for (GroupInfo g : groups) {
      t.row(g.group(), g.lag(), g.deadLetters(), g.members().size(), g.unowned());
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "lag", description = "Lag per group and partition.")
  int lag(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Option(names = "--group", paramLabel = "GROUP", description = "Only this group.")
      String group) {
    List<GroupInfo> groups = group == null ? session.admin().groups(topic)
        : List.of(session.admin().group(topic, group));
    if (session.json()) {
      session.printJson(Views.list(groups, Views::group));
      return 0;
    }
    Table t = new Table("GROUP", "PARTITION", "HEAD", "CHECKPOINT", "LAG", "REQUEUED");
    for (GroupInfo g : groups) {
      for (PartitionStatus p : g.partitions()) {
        t.row(g.group(), p.partition(), p.head(), p.checkpoint(), p.lag(), p.requeued());
      }
    }
    t.print(session.out());
    return 0;
  }
}
