package io.tito.events;

import io.tito.VersionConflictException;
import java.util.Map;

/**
 * An append's {@link ExpectedVersion} did not match its stream. {@link #actualVersion()} is the
 * stream's version when the append ran (0: no event). Not retriable: the caller re-reads the
 * stream and decides again.
 */
public final class WrongExpectedVersionException extends VersionConflictException {

  private final String streamId;
  private final ExpectedVersion expected;
  private final long actualVersion;

  public WrongExpectedVersionException(String streamId, ExpectedVersion expected, long actualVersion) {
    super("stream version is not the expected one",
        Map.of("stream", streamId, "expected", expected.toString(), "actual", actualVersion));
    this.streamId = streamId;
    this.expected = expected;
    this.actualVersion = actualVersion;
  }

  /** The stream appended to. */
  public String streamId() {
    return streamId;
  }

  /** What the append expected. */
  public ExpectedVersion expected() {
    return expected;
  }

  /** The stream's version (0: no event). */
  public long actualVersion() {
    return actualVersion;
  }
}
