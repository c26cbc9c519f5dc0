package io.tito.testkit;

import io.tito.KeyRange;
import io.tito.spi.ChangeFeed;
import io.tito.spi.WriteSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The fault {@link WrappedEngine.Fault#NET_CHANGE_FEED}: a correct feed whose cursor merges the
 * commits of the interval into one, at the last version (what the JDBC feed returned before issue
 * 15's per-commit log). The kit must reject it.
 */
final class NetChangeFeed implements ChangeFeed {

  private final ChangeFeed feed;

  NetChangeFeed(ChangeFeed feed) {
    this.feed = feed;
  }

  @Override
  public long currentVersion() {
    return feed.currentVersion();
  }

  @Override
  public VersionedSnapshot openSnapshot() {
    return feed.openSnapshot();
  }

  @Override
  public long placeHold(String name) {
    return feed.placeHold(name);
  }

  @Override
  public void moveHold(String name, long version) {
    feed.moveHold(name, version);
  }

  @Override
  public void releaseHold(String name) {
    feed.releaseHold(name);
  }

  @Override
  public OptionalLong holdVersion(String name) {
    return feed.holdVersion(name);
  }

  @Override
  public Map<String, Long> holds() {
    return feed.holds();
  }

  @Override
  public boolean everyCommit() {
    return false;
  }

  @Override
  public ChangeCursor changesAfter(long after, long through) {
    WriteSet net = new WriteSet();
    long version = -1;
    long time = 0;
    try (ChangeCursor c = feed.changesAfter(after, through)) {
      while (c.hasNext()) {
        Commit commit = c.next();
        for (KeyRange r : commit.clearedRanges()) {
          net.clearRange(r.begin(), r.end());
        }
        for (Write w : commit.writes()) {
          net.put(w.key(), w.value());
        }
        version = commit.version();
        time = commit.timeMillis();
      }
    }
    Iterator<Commit> commits = version < 0 ? List.<Commit>of().iterator()
        : List.of(Commit.of(version, time, net)).iterator();
    return new ChangeCursor() {
      @Override
      public boolean hasNext() {
        return commits.hasNext();
      }

      @Override
      public Commit next() {
        return commits.next();
      }

      @Override
      public void close() {}
    };
  }
}
