package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A writer committing while no other writer or pin is open remembers nothing for conflict checks
 * (no one can conflict with it), yet every writer that was open, or that pinned a version, still
 * conflicts exactly.
 */
class CommitSequencerAloneTest {

  private static final CommitSequencer.Applier NOTHING = (writes, version) -> {};

  private static WriteSet write(String key) {
    WriteSet w = new WriteSet();
    w.put(key.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    return w;
  }

  @Test
  void aWriterAloneLeavesNoHistoryAndLaterWritersDoNotConflict() {
    CommitSequencer s = new CommitSequencer(0);
    for (int i = 0; i < 100; i++) {
      SnapshotRegistry.Registration r = s.begin();
      assertThat(s.commit(r, write("k"), NOTHING)).isEqualTo(i + 1);
      s.end(r);
      assertThat(s.trackedWrites()).as("history after commit %d by a lone writer", i + 1).isZero();
    }
    SnapshotRegistry.Registration later = s.begin();
    assertThat(later.version()).isEqualTo(100);
    s.commit(later, write("k"), NOTHING);
    s.end(later);
  }

  @Test
  void aWriterOpenDuringAnotherCommitStillConflicts() {
    CommitSequencer s = new CommitSequencer(0);
    SnapshotRegistry.Registration a = s.begin();
    SnapshotRegistry.Registration b = s.begin();
    s.commit(a, write("k"), NOTHING);
    s.end(a);
    assertThat(s.trackedWrites()).as("history while b is open").isEqualTo(1);
    assertThatThrownBy(() -> s.commit(b, write("k"), NOTHING))
        .isInstanceOf(ConflictException.class);
    s.end(b);
  }

  @Test
  void aPinnedVersionKeepsHistoryForWritersBeginningAtIt() {
    CommitSequencer s = new CommitSequencer(0);
    long pinned = s.whileNoCommitApplies(s::pinVisible);
    SnapshotRegistry.Registration a = s.begin();
    s.commit(a, write("k"), NOTHING);
    s.end(a);
    SnapshotRegistry.Registration atPin = s.beginAt(pinned);
    assertThat(atPin).as("a writer may still begin at the pinned version").isNotNull();
    assertThatThrownBy(() -> s.commit(atPin, write("k"), NOTHING))
        .isInstanceOf(ConflictException.class);
    s.end(atPin);
    s.unpin(pinned);
  }

  @Test
  void noWriterCanBeginBelowALoneCommit() {
    CommitSequencer s = new CommitSequencer(0);
    SnapshotRegistry.Registration a = s.begin();
    s.commit(a, write("k"), NOTHING);
    assertThat(s.beginAt(0)).as("a writer at the snapshot before the unremembered commit").isNull();
    s.end(a);
  }
}
