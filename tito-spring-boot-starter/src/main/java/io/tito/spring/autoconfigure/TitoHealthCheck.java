package io.tito.spring.autoconfigure;

import io.tito.Tito;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of the store, independent of the Spring Boot line: one read transaction on the engine
 * (a point read of a key no module uses). Up if it succeeds; down with the error otherwise, which
 * includes a closed store ({@code ClosedException}) and an unreachable database.
 */
public final class TitoHealthCheck {

  /** The result: up or down, with details for the health endpoint. */
  public record Result(boolean up, Map<String, Object> details) {}

  private final Tito tito;
  private final byte[] probeKey;

  /** A check of {@code tito}. */
  public TitoHealthCheck(Tito tito) {
    this.tito = tito;
    this.probeKey = tito.root().pack("m", "health-probe");
  }

  /** Runs the check now; never throws. */
  public Result check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("engine", engineName());
    try {
      tito.read(tx -> tx.get(probeKey));
      return new Result(true, details);
    } catch (RuntimeException e) {
      details.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      return new Result(false, details);
    }
  }

  private String engineName() {
    try {
      return tito.engine().name();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
