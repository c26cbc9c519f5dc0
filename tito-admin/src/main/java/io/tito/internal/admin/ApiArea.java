package io.tito.internal.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A group of JSON endpoints under {@code /api/<name>/...}, added to {@link Routes} so that each
 * area (tenants, backups, logs...) lives in its own class. {@link Routes} has already checked the
 * token of a mutating request; an area answers 200 with the value it returns, and signals errors
 * with the core exceptions ({@code NotFoundException} 404, {@code InvalidArgumentException} 400)
 * or {@link Routes#methodNotAllowed}.
 */
public interface ApiArea {

  /** The body of the request as a JSON object (empty map if none). */
  interface Body {
    Map<String, Object> read() throws IOException;
  }

  /** The first path segments after {@code /api} this area answers. */
  List<String> names();

  /**
   * Answers one request.
   *
   * @param method GET, HEAD, POST or DELETE
   * @param path the segments after {@code /api}, the first one of {@link #names()}
   */
  Object handle(String method, List<String> path, Map<String, String> query, Body body)
      throws IOException;
}
