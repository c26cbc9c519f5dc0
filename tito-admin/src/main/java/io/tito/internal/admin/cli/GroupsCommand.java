package io.tito.internal.admin.cli;

import io.tito.admin.GroupInfo;
import io.tito.internal.admin.Views;
import io.tito.pubsub.PartitionStatus;
import io.tito.pubsub.StartPosition;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tito groups list|status|reset}. */
@Command(name = "groups", description = "Consumer groups: list, status, reset.",
    mixinStandardHelpOptions = true)
final class GroupsCommand {

  private final Session session;
  @Spec
  private CommandSpec spec;

  GroupsCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "The groups of a topic with their lag.")
  int list(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic) {
    var groups = session.admin().groups(topic);
    if (session.json()) {
      session.printJson(Views.list(groups, Views::group));
      return 0;
    }
    Table t = new Table("GROUP", "LAG", "DEAD-LETTERS", "MEMBERS");
    for (GroupInfo g : groups) {
      t.row(g.group(), g.lag(), g.deadLetters(), String.join(",", g.members()));
    }
    t.print(session.out());
    return 0;
  }

  @Command(name = "status", description = "A group's partitions: checkpoint, lag, failures, lease.")
  int status(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group) {
    print(session.admin().group(topic, group));
    return 0;
  }

  /** Exactly one target of a reset. */
  static final class Target {
    @Option(names = "--to-earliest", description = "The earliest retained event.")
    boolean earliest;
    @Option(names = "--to-latest", description = "The head: skip everything logged so far.")
    boolean latest;
    @Option(names = "--to-time", paramLabel = "INSTANT",
        description = "The first event published at or after this time (ISO-8601, e.g. 2026-01-01T00:00:00Z).")
    Instant time;
    @Option(names = "--to-position", paramLabel = "POSITION",
        description = "This log position of the one partition given with --partition.")
    Long position;
  }

  @Command(name = "reset", description = "Moves a group's checkpoints (stop or expect the owner to be fenced).")
  int reset(@Mixin Common common, @Parameters(paramLabel = "TOPIC") String topic,
      @Parameters(paramLabel = "GROUP") String group,
      @ArgGroup(exclusive = true, multiplicity = "1") Target target,
      @Option(names = "--partition", paramLabel = "P", description = "Only with --to-position.")
      Integer partition) {
    GroupInfo after;
    if (target.position != null) {
      if (partition == null) {
        throw new ParameterException(spec.commandLine(), "--to-position needs --partition");
      }
      after = session.admin().resetGroup(topic, group, partition, target.position);
    } else {
      if (partition != null) {
        throw new ParameterException(spec.commandLine(), "--partition goes only with --to-position");
      }
      StartPosition start = target.earliest ? StartPosition.EARLIEST
          : target.latest ? StartPosition.LATEST : StartPosition.at(target.time);
      after = session.admin().resetGroup(topic, group, start);
    }
    print(after);
    return 0;
  }

  private void print(GroupInfo g) {
    if (session.json()) {
      session.printJson(Views.group(g));
      return;
    }
    session.out().printf("group %s of %s: lag %d, %d dead letters, members %s%n", g.group(),
        g.topic(), g.lag(), g.deadLetters(), g.members());
    Table t = new Table("PARTITION", "HEAD", "CHECKPOINT", "LAG", "REQUEUED", "ATTEMPTS", "OWNER",
        "EPOCH", "LAST-ERROR");
    for (PartitionStatus p : g.partitions()) {
      t.row(p.partition(), p.head(), p.checkpoint(), p.lag(), p.requeued(), p.attempts(),
          p.leaseOwner(), p.epoch(), p.lastError());
    }
    t.print(session.out());
  }
}
