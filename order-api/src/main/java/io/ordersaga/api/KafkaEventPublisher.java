package io.ordersaga.api;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link EventPublisher} on one shared, thread-safe {@link KafkaProducer}: idempotent, acks=all, values in
 * the registry's Avro format with one Apicurio serializer per topic of {@link Topics#ALL} (a shared one registers
 * its schema under the first topic only). Concurrent requests share the producer's batches.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final long sendTimeoutMs;

    /**
     * @param producerConfig producer settings (bootstrap servers and any tuning, for example from
     *                       {@code spring.kafka.producer.*}); acks, idempotence and the timeouts are set here
     * @param serdes         the registry-backed serdes
     * @param sendTimeoutMs  max.block.ms and delivery.timeout.ms, in ms (request.timeout.ms is 4/5 of it, so
     *                       linger.ms must stay below 1/5 of it); a write fails with 503 after at most about twice that
     * @throws ArithmeticException when sendTimeoutMs does not fit an int
     * @throws org.apache.kafka.common.config.ConfigException when the producer settings are invalid
     */
    public KafkaEventPublisher(Map<String, Object> producerConfig, EventSerdes serdes, long sendTimeoutMs) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs);
        // Both are int settings; delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.toIntExact(sendTimeoutMs));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(sendTimeoutMs * 4 / 5));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new TopicValueSerializer(serdes));
        this.sendTimeoutMs = sendTimeoutMs;
    }

    @Override
    public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(2 * sendTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UnacknowledgedWriteException(topic, e.getCause());
        } catch (KafkaException | TimeoutException e) {
            throw new UnacknowledgedWriteException(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnacknowledgedWriteException(topic, e);
        }
    }

    /** Sends what is buffered (for up to the send timeout) and closes the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofMillis(sendTimeoutMs));
    }

    /** Serializes each value with the Apicurio serializer of its topic. */
    private static final class TopicValueSerializer implements Serializer<SpecificRecord> {

        private final Map<String, Serializer<SpecificRecord>> byTopic = new HashMap<>();

        @SuppressWarnings("unchecked")
        TopicValueSerializer(EventSerdes serdes) {
            for (Topic<?> topic : Topics.ALL) {
                byTopic.put(topic.name(), (Serializer<SpecificRecord>) topic.valueSerde(serdes).serializer());
            }
        }

        @Override
        public byte[] serialize(String topic, SpecificRecord value) {
            return of(topic).serialize(topic, value);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, SpecificRecord value) {
            return of(topic).serialize(topic, headers, value);
        }

        private Serializer<SpecificRecord> of(String topic) {
            Serializer<SpecificRecord> serializer = byTopic.get(topic);
            if (serializer == null) {
                throw new SerializationException("Topic " + topic + " is not in the topic catalogue");
            }
            return serializer;
        }
    }
}
