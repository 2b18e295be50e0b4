package io.ordersaga.api;

import io.ordersaga.common.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes one record to Kafka and returns only once the broker acknowledged it (acks=all, idempotent producer).
 * order-api's only side effect: every accepted request is exactly one call, so a request either wrote its record
 * or failed with an {@link UnacknowledgedWriteException} whose outcome is unknown.
 */
public interface EventPublisher {

    /**
     * Writes {@code value} under {@code key} to {@code topic} and waits for the acknowledgement.
     *
     * @param topic the topic, from {@link io.ordersaga.common.Topics}
     * @param key   the record key, what the topic is partitioned by ({@link Topic#key()})
     * @param value the value
     * @throws UnacknowledgedWriteException 503 Service Unavailable when the record was not acknowledged in time
     *                                      (broker or registry unreachable, or timed out); the write may still have
     *                                      landed
     */
    <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value);

    /**
     * {@link #publish(Topic, String, SpecificRecord)}, and on failure a 503 whose detail ends with {@code retry}.
     *
     * @param retry what a retry of the request does (is it safe, with which Idempotency-Key), as the client reads it
     * @throws UnacknowledgedWriteException 503, {@link UnacknowledgedWriteException#advising advising} {@code retry}
     */
    default <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value, String retry) {
        try {
            publish(topic, key, value);
        } catch (UnacknowledgedWriteException e) {
            throw e.advising(retry);
        }
    }
}
