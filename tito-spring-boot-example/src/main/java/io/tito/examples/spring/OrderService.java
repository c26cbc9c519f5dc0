package io.tito.examples.spring;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Places orders: the record and its "placed" event commit in one Tito transaction (the outbox),
 * whatever the engine. Conflicts are retried by Tito, which re-runs the whole closure.
 */
@Service
public class OrderService {

  private final Tito tito;
  private final Topics topics;
  private final ModelStore<Order> orders;

  OrderService(Tito tito, Topics topics, DataStore data, Model<Order> orderModel) {
    this.tito = tito;
    this.topics = topics;
    this.orders = data.store(orderModel);
  }

  /** Saves {@code order} and publishes its event, atomically. */
  public void place(Order order) {
    tito.inTransaction(tx -> {
      orders.insert(tx, order);
      String payload = order.id() + " for " + order.customer();
      topics.publish(tx, "orders", Message.of(order.id(), payload.getBytes(StandardCharsets.UTF_8)));
    });
  }

  /** The stored order, if any. */
  public Optional<Order> find(String id) {
    return orders.findById(id).map(v -> v.value());
  }
}
