package io.ordersaga.api;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link EventPublisher} on spring-kafka's {@link KafkaTemplate} over one shared, thread-safe producer:
 * idempotent, acks=all, values in the registry's Avro format with one Apicurio serializer per topic of
 * {@link Topics#ALL} (a shared one registers its schema under the first topic only). Concurrent requests share the
 * producer's batches. As a bean, the template times each send ({@code spring.kafka.template}, by topic and outcome).
 */
public final class KafkaEventPublisher implements EventPublisher {

    private final KafkaTemplate<String, SpecificRecord> template;
    private final long sendTimeoutMs;

    /**
     * @param template      a template on {@link #producerFactory} with the same {@code sendTimeoutMs}
     * @param sendTimeoutMs how long a write may take, in ms: it fails with 503 after at most about twice that
     */
    public KafkaEventPublisher(KafkaTemplate<String, SpecificRecord> template, long sendTimeoutMs) {
        this.template = template;
        this.sendTimeoutMs = sendTimeoutMs;
    }

    /**
     * The producer factory of every write: one producer, shared, closed with the factory (waiting up to the send
     * timeout, rounded up to whole seconds, for what is buffered).
     *
     * @param producerConfig producer settings (bootstrap servers and any tuning, for example from
     *                       {@code spring.kafka.producer.*}); acks, idempotence and the timeouts are set here
     * @param serdes         the registry-backed serdes
     * @param sendTimeoutMs  max.block.ms and delivery.timeout.ms, in ms (request.timeout.ms is 4/5 of it, so
     *                       linger.ms must stay below 1/5 of it)
     * @throws ArithmeticException when sendTimeoutMs does not fit an int
     */
    public static DefaultKafkaProducerFactory<String, SpecificRecord> producerFactory(Map<String, Object> producerConfig,
                                                                                      EventSerdes serdes, long sendTimeoutMs) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs);
        // Both are int settings; delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.toIntExact(sendTimeoutMs));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(sendTimeoutMs * 4 / 5));
        DefaultKafkaProducerFactory<String, SpecificRecord> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new TopicValueSerializer(serdes));
        factory.setPhysicalCloseTimeout(Math.toIntExact((sendTimeoutMs + 999) / 1000));
        return factory;
    }

    @Override
    public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value) {
        try {
            template.send(topic.name(), key, value).get(2 * sendTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // The template wraps the producer's error in a KafkaProducerException: report the producer's own.
            Throwable cause = e.getCause() instanceof KafkaProducerException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause() : e.getCause();
            throw new UnacknowledgedWriteException(topic, cause);
        } catch (KafkaException | org.springframework.kafka.KafkaException | TimeoutException e) {
            throw new UnacknowledgedWriteException(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnacknowledgedWriteException(topic, e);
        }
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
