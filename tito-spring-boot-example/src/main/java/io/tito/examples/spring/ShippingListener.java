package io.tito.examples.spring;

import io.tito.pubsub.Event;
import io.tito.spring.TitoListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** Ships placed orders: consumer group "shipping" of topic "orders". */
@Component
public class ShippingListener {

  private final List<String> shipped = new CopyOnWriteArrayList<>();

  /** Called once per placed order (at least once; retried on failure). */
  @TitoListener(topic = "orders", group = "shipping")
  public void onOrderPlaced(Event event) {
    shipped.add(new String(event.payload(), StandardCharsets.UTF_8));
  }

  /** What was shipped so far, in arrival order. */
  public List<String> shipped() {
    return List.copyOf(shipped);
  }
}
