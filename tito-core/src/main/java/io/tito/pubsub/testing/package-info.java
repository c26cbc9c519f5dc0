/**
 * Supported test hooks into pub/sub ({@link io.tito.pubsub.testing.PubSubTesting}): crash a
 * subscription, read a partition's lease, find a group's heartbeat keys. Exported so that test
 * kits need not reach into {@code io.tito.internal}; not for production code.
 */
package io.tito.pubsub.testing;
