package io.ordersaga.api;

import io.ordersaga.common.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.web.server.ResponseStatusException;

/**
 * Writes one record to Kafka and returns only once the broker acknowledged it (acks=all, idempotent producer).
 * order-api's only side effect: every accepted request is exactly one call, so a request either wrote its record
 * or failed having written nothing it knows of.
 */
public interface EventPublisher {

    /**
     * Writes {@code value} under {@code key} to {@code topic} and waits for the acknowledgement.
     *
     * @param topic the topic, from {@link io.ordersaga.common.Topics}
     * @param key   the record key, what the topic is partitioned by ({@link Topic#key()})
     * @param value the value
     * @throws ResponseStatusException 503 Service Unavailable when the record was not acknowledged in time
     *                                 (broker or registry unreachable, or timed out). After a timeout the write may
     *                                 still have landed; a client retries safely only with an idempotent request
     *                                 (an order with an Idempotency-Key, a product update)
     */
    <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value);
}
