package io.tito.apicheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiReportTest {

  @Test
  void diffShowsRemovedAndAddedLines() {
    assertThat(ApiReport.diff(List.of("a", "  b"), List.of("a", "  c")))
        .isEqualTo("- b\n+ c\n");
    assertThat(ApiReport.diff(List.of("a", "b"), List.of("b", "a")))
        .isEqualTo("(same lines, other order)\n");
  }
}
