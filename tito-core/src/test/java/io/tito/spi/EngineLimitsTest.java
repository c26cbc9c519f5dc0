package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/** The canonical constructor names the limit that is wrong. */
class EngineLimitsTest {

  @Test
  void eachLimitThatIsNotPositiveIsNamed() {
    assertNamed("maxKeySize", () -> new EngineLimits(0, 1, 1));
    assertNamed("maxValueSize", () -> new EngineLimits(1, -1, 1));
    assertNamed("maxTransactionSize", () -> new EngineLimits(1, 1, 0));
    assertThat(new EngineLimits(1, 1, 1).maxTransactionSize()).isEqualTo(1);
  }

  private static void assertNamed(String setting, Runnable construct) {
    assertThatThrownBy(construct::run).isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
      assertThat(e.context()).containsEntry("setting", setting);
      assertThat(e.staticMessage()).contains(setting);
    });
  }
}
