package io.tito.pubsub;

import java.time.Instant;
import java.util.UUID;

/**
 * An event one consumer group gave up on. Other groups are unaffected.
 *
 * @param id the event id (for an undecodable event, an id derived from its position)
 * @param topic topic name
 * @param group the group that failed it
 * @param partition its partition
 * @param position its log position
 * @param event the event, or null if its stored bytes could not be decoded
 * @param error the last failure's description
 * @param attempts how many times it was tried (0 for an undecodable event)
 * @param deadAt when it was dead-lettered
 */
public record DeadLetter(UUID id, String topic, String group, int partition, long position,
    Event event, String error, int attempts, Instant deadAt) {}
