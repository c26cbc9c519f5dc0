/** The relay to RabbitMQ ({@code io.tito.relay.rabbitmq}), on the amqp-client library. */
module io.tito.relay.rabbitmq {
  requires transitive io.tito.relay;
  requires transitive com.rabbitmq.client;

  exports io.tito.relay.rabbitmq;
}
