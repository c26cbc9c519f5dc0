/**
 * {@link io.tito.relay.kafka.KafkaRelaySink}: relays a Tito topic to a Kafka topic with an
 * idempotent producer ({@code acks=all}), optionally in Kafka transactions.
 */
package io.tito.relay.kafka;
