/**
 * {@link io.tito.relay.rabbitmq.RabbitRelaySink}: relays a Tito topic to a RabbitMQ exchange
 * with publisher confirms and persistent messages.
 */
package io.tito.relay.rabbitmq;
