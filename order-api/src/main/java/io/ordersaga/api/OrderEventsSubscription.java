package io.ordersaga.api;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * order-api's own read_committed subscription to {@link Topics#ORDER_EVENTS} (key orderId): every partition assigned
 * to this instance (no consumer group, nothing committed: several order-api instances each read everything), from
 * the end of the topic as it is when the subscription starts, each record handed to {@link RecentOrders}, which is
 * told once those positions are fixed and whether each poll succeeds. A long poll
 * then completes as soon as the saga's transaction that wrote the terminal snapshot commits, without waiting for the
 * read model to process it and without an HTTP hop to it.
 *
 * <p>Errors: a record whose key or value does not deserialize is logged and skipped (the read model dead-letters
 * it; here it only costs a wake-up). Any other Kafka error is logged and the loop goes on after
 * {@link #RETRY_BACKOFF}, from where it was: long polls meanwhile fall back to their periodic read of the read model.
 * The partitions are those the topic has when the subscription starts.
 */
public final class OrderEventsSubscription implements AutoCloseable {

    /** How long the loop waits after an unexpected Kafka error before it polls again. */
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(OrderEventsSubscription.class);

    private final KafkaConsumer<String, OrderEvent> consumer;
    private final RecentOrders recent;
    private final Thread thread;

    /**
     * Starts reading on a thread of its own.
     *
     * @param consumerConfig consumer settings (bootstrap servers and any tuning, from {@code spring.kafka.consumer.*});
     *                       isolation, offsets and the group are set here
     * @param serdes         the registry-backed serdes of order-events' values
     * @param recent         where each record goes
     * @throws org.apache.kafka.common.config.ConfigException when the consumer settings are invalid
     */
    public OrderEventsSubscription(Map<String, Object> consumerConfig, EventSerdes serdes, RecentOrders recent) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                Topics.ORDER_EVENTS.valueSerde(serdes).deserializer());
        this.recent = recent;
        this.thread = Thread.ofPlatform().daemon().name("order-events-subscription").start(this::run);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            fixPositions(partitions);
            recent.subscribed();
            while (true) {
                try {
                    for (ConsumerRecord<String, OrderEvent> record : consumer.poll(Duration.ofSeconds(1))) {
                        if (record.value() != null) {
                            recent.add(record.value());
                        }
                    }
                    recent.subscriptionPolled();
                } catch (RecordDeserializationException e) {
                    log.warn("order-events {}-{} offset {} skipped: {}", e.topicPartition().topic(),
                            e.topicPartition().partition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    recent.subscriptionFailed();
                    log.warn("order-events subscription failed; polling again in {}", RETRY_BACKOFF, e);
                    Thread.sleep(RETRY_BACKOFF);
                }
            }
        } catch (WakeupException closing) {
            // close() asked the loop to end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    /**
     * Resolves the end offsets that {@code seekToEnd} only marks (it is lazy), asked until the broker answers: from
     * then on, every record written to the topic reaches this subscription ({@link RecentOrders#subscribed}).
     */
    private void fixPositions(List<TopicPartition> partitions) throws InterruptedException {
        while (true) {
            try {
                partitions.forEach(consumer::position);
                return;
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                log.warn("order-events' end offsets unknown ({}); asking again in {}", e.getMessage(), RETRY_BACKOFF);
            }
            Thread.sleep(RETRY_BACKOFF);
        }
    }

    /** The topic's partitions, asked until the broker answers (the loop ends only on close). */
    private List<TopicPartition> partitions() throws InterruptedException {
        while (true) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORDER_EVENTS.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                log.info("order-events does not exist yet; asking again in {}", RETRY_BACKOFF);
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                log.warn("order-events' partitions unknown ({}); asking again in {}", e.getMessage(), RETRY_BACKOFF);
            }
            Thread.sleep(RETRY_BACKOFF);
        }
    }

    /** Ends the loop (at its next poll, at most {@link #RETRY_BACKOFF} later) and closes the consumer, waiting up to 5 s. */
    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5));
    }
}
