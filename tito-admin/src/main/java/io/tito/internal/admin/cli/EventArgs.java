package io.tito.internal.admin.cli;

import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import io.tito.admin.EventConsumerKind;
import io.tito.admin.EventsAdmin;
import io.tito.events.StartAt;
import io.tito.internal.admin.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.TypeConversionException;

/** Argument types of the event store's commands: positions, reset targets and durations. */
final class EventArgs {

  private EventArgs() {}

  /** A {@code $all} position, {@code <commit version>.<order>} as the commands print it. */
  static final class Position implements ITypeConverter<Stamp> {
    @Override
    public Stamp convert(String value) {
      try {
        return EventsAdmin.parsePosition(value);
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException("'" + value
            + "' is not a position: <commit version>.<order> as printed, e.g. 1042.0");
      }
    }
  }

  /** A subscription group's reset target: beginning, end, position:N or time:ISO. */
  static final class Start implements ITypeConverter<StartAt> {
    @Override
    public StartAt convert(String value) {
      try {
        return EventsAdmin.parseStartAt(value);
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException("'" + value + "' is " + e.staticMessage());
      }
    }
  }

  /** A duration: {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms} or ISO-8601 ({@code PT1M}). */
  static final class Time implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value);
      if (d == null) {
        throw new TypeConversionException("'" + value
            + "' is not a positive duration such as 90s, 5m, 1h, 500ms or PT1M");
      }
      return d;
    }
  }

  /** The kind of consumer a {@code dead-letters} command works on, from its parent's name. */
  static EventConsumerKind kindOf(CommandSpec spec) {
    CommandSpec s = spec;
    while (s != null) {
      if (s.name().equals("projections")) {
        return EventConsumerKind.PROJECTION;
      }
      if (s.name().equals("subscriptions")) {
        return EventConsumerKind.SUBSCRIPTION;
      }
      s = s.parent();
    }
    throw new IllegalStateException("dead-letters outside projections or subscriptions");
  }
}
