package io.tito.admin;

import io.tito.data.Model;
import java.util.List;

/** The fixture's model definitions, loaded by {@code tito models build --models}. */
public final class TestModels implements ModelDefinitions {

  @Override
  public List<Model<?>> models() {
    return List.of(Fixture.CUSTOMERS);
  }
}
