package io.tito.docs;

import io.tito.apicheck.ApiReport;
import org.junit.jupiter.api.Test;

/**
 * Keeps api/tito-docs.api, the list of this module's exported public API, equal to the code:
 * regenerate it with -Dtito.api.update=true after a deliberate change (see ApiReport).
 */
class ApiSurfaceTest {

  @Test
  void exportedApiMatchesTheCheckedInReport() {
    ApiReport.check("tito-docs");
  }
}
