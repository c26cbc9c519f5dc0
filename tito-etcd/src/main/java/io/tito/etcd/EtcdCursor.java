package io.tito.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.StatusRuntimeException;
import io.tito.KeyValueCursor;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;

/**
 * A snapshot scan of {@code [begin, end)} at one revision, read in pages as the caller iterates.
 * Forward pages are sent without a sort order (etcd then stops after the page); reverse pages
 * need a descending sort, for which etcd reads the whole remaining range, so their size doubles
 * from page to page to keep the number of such reads logarithmic. Not thread-safe.
 */
final class EtcdCursor implements KeyValueCursor {

  private static final int MAX_PAGE = 1024;

  private final EtcdEngine engine;
  private final long revision;
  private final boolean reverse;
  private final ReadSet reads;
  private final ArrayDeque<KeyValue> page = new ArrayDeque<>();
  private ByteString from;
  private ByteString to;
  private int pageSize;
  private boolean more = true;
  private boolean closed;

  /** @param reads where to record what each page covered (serializable transactions), or null */
  EtcdCursor(EtcdEngine engine, ByteString from, ByteString to, long revision, boolean reverse, int limitHint,
      ReadSet reads) {
    this.engine = engine;
    this.reads = reads;
    this.from = from;
    this.to = to;
    this.revision = revision;
    this.reverse = reverse;
    this.pageSize = limitHint > 0 ? Math.min(limitHint, MAX_PAGE) : 64;
    this.more = ByteStrings.compare(from, to) < 0;
  }

  @Override
  public boolean hasNext() {
    engine.ensureOpen();
    if (closed) {
      return false;
    }
    if (page.isEmpty() && more) {
      fetch();
    }
    return !page.isEmpty();
  }

  @Override
  public io.tito.KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue kv = page.poll();
    return new io.tito.KeyValue(engine.keys().userKey(kv.getKey()), kv.getValue().toByteArray());
  }

  private void fetch() {
    RangeRequest.Builder r = RangeRequest.newBuilder().setKey(from).setRangeEnd(to)
        .setRevision(revision).setLimit(pageSize);
    if (reverse) {
      r.setSortOrder(RangeRequest.SortOrder.DESCEND).setSortTarget(RangeRequest.SortTarget.KEY);
    }
    RangeResponse response;
    try {
      response = engine.client().range(r.build());
    } catch (StatusRuntimeException e) {
      engine.ensureOpen();
      throw EtcdErrors.failed("scan", e);
    }
    page.addAll(response.getKvsList());
    more = response.getMore() && response.getKvsCount() > 0;
    ByteString coveredFrom = from;
    ByteString coveredTo = to;
    if (response.getKvsCount() > 0) {
      ByteString last = response.getKvs(response.getKvsCount() - 1).getKey();
      if (reverse) {
        to = last;
      } else {
        from = last.concat(ByteString.copyFrom(new byte[] {0}));
      }
      if (more) {
        coveredFrom = reverse ? to : coveredFrom;
        coveredTo = reverse ? coveredTo : from;
      }
    }
    if (reads != null) {
      reads.range(coveredFrom, coveredTo);
      for (KeyValue kv : response.getKvsList()) {
        reads.key(kv.getKey(), kv.getModRevision());
      }
    }
    pageSize = Math.min(pageSize * 2, MAX_PAGE);
  }

  @Override
  public void close() {
    closed = true;
    page.clear();
  }
}
