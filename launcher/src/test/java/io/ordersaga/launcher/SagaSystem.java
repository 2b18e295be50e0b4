package io.ordersaga.launcher;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.StreamsTestSupport;
import io.ordersaga.events.OrderEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saga's three applications (order-saga-streams, inventory-streams, payment-streams), each the REAL topology in a
 * TopologyTestDriver of its own with the production Streams settings, wired together by their topics through a
 * network the test controls: what one application writes waits in a queue per (topic, key) (one key is one
 * partition, so Kafka keeps its order) until the test delivers it, so the test chooses the interleaving across
 * keys and topics, delays, duplicates (a record delivered twice in a row, as an at-least-once redelivery would),
 * outages (an application that is down neither receives records nor sees its wall clock move; when it comes
 * back its punctuators catch up at once, as Kafka's wall-clock punctuation does) and the passing of time.
 *
 * <p>Which application reads and writes which topic is taken from the topologies' own descriptions, so a new
 * topic between them is wired without changing this class. Every order event the saga publishes is kept, in order.
 */
final class SagaSystem implements AutoCloseable {

    /** Wall-clock time at which every system starts. */
    static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

    private final EventSerdes serdes = EventSerdes.unregistered();
    private final Map<String, Application> applications = new LinkedHashMap<>();
    private final Map<String, Application> readerOf = new LinkedHashMap<>();
    private final Map<QueueKey, ArrayDeque<byte[]>> queues = new LinkedHashMap<>();
    private final List<OrderEvent> orderEvents = new ArrayList<>();
    private final Path stateRoot;
    private long nowMs = START.toEpochMilli();

    /**
     * @param topologies application.id to its topology; the topics they read from each other are wired by name
     * @param stateRoot  a directory for the drivers' state stores (one sub-directory per application)
     */
    SagaSystem(Map<String, Topology> topologies, Path stateRoot) {
        this.stateRoot = stateRoot;
        topologies.forEach((id, topology) -> applications.put(id, new Application(id, topology)));
        for (Application application : applications.values()) {
            application.sources.forEach(topic -> readerOf.put(topic, application));
        }
    }

    /** The application named {@code applicationId}. */
    Application application(String applicationId) {
        return applications.get(applicationId);
    }

    /**
     * Sends a record from outside (order-api, a test) to {@code topic}: it waits in the network like any other.
     *
     * @throws IllegalArgumentException when no application reads the topic
     */
    <V extends SpecificRecord> void send(Topic<V> topic, String key, V value) {
        if (!readerOf.containsKey(topic.name())) {
            throw new IllegalArgumentException("no application reads " + topic.name());
        }
        queues.computeIfAbsent(new QueueKey(topic.name(), key), k -> new ArrayDeque<>())
                .addLast(topic.valueSerde(serdes).serializer().serialize(topic.name(), value));
    }

    /** The (topic, key) queues whose reader is up and that hold a record, in a stable order. */
    List<QueueKey> deliverable() {
        return queues.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() && readerOf.get(e.getKey().topic()).up)
                .map(Map.Entry::getKey).toList();
    }

    /** True when no record waits in the network, whether its reader is up or not. */
    boolean quiet() {
        return queues.values().stream().allMatch(ArrayDeque::isEmpty);
    }

    /**
     * Delivers the oldest record of {@code queue} to its reader and routes what that produces.
     *
     * @param duplicate true to deliver it twice in a row
     */
    void deliver(QueueKey queue, boolean duplicate) {
        byte[] value = queues.get(queue).removeFirst();
        Application reader = readerOf.get(queue.topic());
        reader.pipe(queue.topic(), queue.key(), value);
        if (duplicate) {
            reader.pipe(queue.topic(), queue.key(), value);
        }
        route();
    }

    /** Moves the wall clock of the system by {@code by}; every application that is up sees it (punctuators fire). */
    void advance(Duration by) {
        nowMs += by.toMillis();
        for (Application application : applications.values()) {
            if (application.up) {
                application.catchUp();
            }
        }
        route();
    }

    /** The system's wall clock, epoch ms. */
    long nowMs() {
        return nowMs;
    }

    /** Every order event the saga published, in the order published. */
    List<OrderEvent> orderEvents() {
        return orderEvents;
    }

    private void route() {
        boolean moved;
        do {
            moved = false;
            for (Application application : applications.values()) {
                for (Map.Entry<String, TestOutputTopic<String, byte[]>> sink : application.sinks.entrySet()) {
                    for (var record : sink.getValue().readKeyValuesToList()) {
                        moved = true;
                        if (sink.getKey().equals(Topics.ORDER_EVENTS.name())) {
                            orderEvents.add(Topics.ORDER_EVENTS.valueSerde(serdes).deserializer()
                                    .deserialize(Topics.ORDER_EVENTS.name(), record.value));
                        }
                        if (readerOf.containsKey(sink.getKey())) {
                            queues.computeIfAbsent(new QueueKey(sink.getKey(), record.key), k -> new ArrayDeque<>())
                                    .addLast(record.value);
                        }
                    }
                }
            }
        } while (moved);
    }

    @Override
    public void close() {
        applications.values().forEach(a -> a.driver.close());
    }

    /**
     * One queue of the network.
     *
     * @param topic the topic
     * @param key   the record key (stands for its partition)
     */
    record QueueKey(String topic, String key) {
    }

    /** One application in its driver. */
    final class Application {

        private final TopologyTestDriver driver;
        private final List<String> sources = new ArrayList<>();
        private final Map<String, TestOutputTopic<String, byte[]>> sinks = new LinkedHashMap<>();
        private final Map<String, org.apache.kafka.streams.TestInputTopic<String, byte[]>> inputs = new LinkedHashMap<>();
        private long clockMs = nowMs;
        private boolean up = true;

        Application(String applicationId, Topology topology) {
            Path dir = stateRoot.resolve(applicationId);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            driver = new TopologyTestDriver(topology, StreamsTestSupport.properties(applicationId, dir), Instant.ofEpochMilli(nowMs));
            TopologyDescription description = topology.describe();
            description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
                if (node instanceof TopologyDescription.Source source) {
                    sources.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink) {
                    sinks.put(sink.topic(), driver.createOutputTopic(sink.topic(), new StringDeserializer(), new ByteArrayDeserializer()));
                }
            }));
            description.globalStores().forEach(store -> sources.addAll(store.source().topicSet()));
        }

        /** Stops delivering to the application and stops its clock, as if its process were down. */
        void down() {
            up = false;
        }

        /** Starts it again: its clock catches up with the system's at once. */
        void up() {
            up = true;
            catchUp();
            route();
        }

        boolean isUp() {
            return up;
        }

        /** The application's key-value store {@code name}. */
        <V> KeyValueStore<String, V> store(String name) {
            return driver.getKeyValueStore(name);
        }

        private void catchUp() {
            if (nowMs > clockMs) {
                driver.advanceWallClockTime(Duration.ofMillis(nowMs - clockMs));
                clockMs = nowMs;
            }
        }

        private void pipe(String topic, String key, byte[] value) {
            inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new StringSerializer(), new ByteArraySerializer()))
                    .pipeInput(key, value, Instant.ofEpochMilli(nowMs));
        }
    }
}
