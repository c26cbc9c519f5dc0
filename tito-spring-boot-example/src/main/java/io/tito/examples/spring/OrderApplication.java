package io.tito.examples.spring;

import io.tito.data.Model;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The example application: {@code tito.*} settings in application.properties, one model bean (the
 * starter registers it in the DataStore), a service that saves and publishes in one transaction,
 * and a listener.
 */
@SpringBootApplication
public class OrderApplication {

  /** The orders model, keyed by id, with an index on the customer. */
  @Bean
  Model<Order> orderModel() {
    return Model.builder(Order.class, "orders").id(Order::id)
        .index("by_customer", i -> i.field("customer", String.class, Order::customer))
        .build();
  }

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(OrderApplication.class, args);
  }
}
