package io.ordersaga.common;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks that topics read together by one task are co-partitioned: same key (by declaration in
 * {@link Topics}) and same partition count (checked here against the broker). Kafka Streams checks this
 * for joins only; the saga and payments merge their inputs, so they check them themselves at start.
 */
public final class CoPartitioning {

    private CoPartitioning() {
    }

    /**
     * A lifecycle that checks, with an Admin configured like {@code kafkaAdmin}, that {@code topics} are
     * co-partitioned, in the phase just before the Streams client's: KafkaAdmin creates the topics earlier (after
     * singleton instantiation), and the Streams client only starts if the check passes. Declare it as a bean.
     *
     * @throws IllegalStateException from {@code start()}, as {@link #verify} throws it, which stops the application
     */
    public static SmartLifecycle checkBeforeStart(KafkaAdmin kafkaAdmin, StreamsBuilderFactoryBean streams, List<Topic<?>> topics) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
                    verify(admin, topics);
                }
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return streams.getPhase() - 1;
            }

            /** Starts with the application when, and only when, the Streams client does. */
            @Override
            public boolean isAutoStartup() {
                return streams.isAutoStartup();
            }
        };
    }

    /**
     * @throws IllegalStateException naming each topic and its partition count when the counts differ,
     *                               or when a topic's key is not the same as the others'
     */
    public static void verify(Admin admin, List<Topic<?>> topics) {
        long keys = topics.stream().map(Topic::keyedBy).distinct().count();
        if (keys != 1) {
            throw new IllegalStateException("Topics " + topics.stream().map(Topic::name).toList()
                    + " are not keyed alike: " + topics.stream().map(t -> t.name() + " by " + t.keyedBy()).toList());
        }
        Map<String, Integer> counts = new TreeMap<>();
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics.stream().map(Topic::name).toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            descriptions.forEach((name, d) -> counts.put(name, d.partitions().size()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe " + topics.stream().map(Topic::name).toList(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (counts.values().stream().distinct().count() != 1) {
            throw new IllegalStateException("Topics read together must be co-partitioned, but their partition counts differ: "
                    + counts + ". Recreate them with one partition count.");
        }
    }
}
