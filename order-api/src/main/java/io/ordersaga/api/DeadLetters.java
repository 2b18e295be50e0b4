package io.ordersaga.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.common.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The Streams applications' dead-letter topics ({@link Topics#deadLetters}, Kafka Streams' own DLQ, KIP-1034), read
 * for operators: the newest records of one application ({@link #newest}) and a gauge per application,
 * {@code ordersaga.dead.letters{application}}, the committed records its topic holds.
 *
 * <p>Both read with {@code read_committed} (a dead letter is written in the failing task's transaction, so an aborted
 * one is not listed), with no consumer group and nothing committed. The gauge's consumer reads each new record once
 * and keeps its position, so a scrape costs one offsets request when nothing was dead-lettered since; its count is
 * of the records still within the topic's retention, read at most once a {@link #COUNT_INTERVAL}.
 * The application names are the {@code application.id}s, so the topics are {@code <application>-dead-letters}.
 */
public final class DeadLetters implements AutoCloseable {

    /** The most records {@link #newest} answers. */
    public static final int MAX_LIMIT = 500;

    /** How long a listing or a count may wait for the broker. */
    public static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

    /** The gauges' figures are read again at most this often (a scrape reads every application's). */
    public static final Duration COUNT_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Map<String, Object> consumerConfig;
    private final List<String> applications;
    private final Map<TopicPartition, Long> counted = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();
    private KafkaConsumer<byte[], byte[]> counter;
    private long countedAtNanos;

    /**
     * One dead-lettered record: where it lies, its raw key and value, and the KIP-1034 headers naming its source
     * record and the exception.
     *
     * @param partition       its partition in the dead-letter topic
     * @param offset          its offset there
     * @param timestamp       its timestamp, epoch ms (when the source record failed)
     * @param key             the source record's key as UTF-8 (the services' keys are strings), null when none
     * @param valueBase64     the source record's value, base64, null when none
     * @param sourceTopic     {@code __streams.errors.topic}
     * @param sourcePartition {@code __streams.errors.partition}, -1 when absent
     * @param sourceOffset    {@code __streams.errors.offset}, -1 when absent
     * @param exception       {@code __streams.errors.exception}, the exception's class
     * @param message         {@code __streams.errors.message}
     * @param stacktrace      {@code __streams.errors.stacktrace}
     */
    public record Letter(int partition, long offset, long timestamp, String key, String valueBase64, String sourceTopic,
                         int sourcePartition, long sourceOffset, String exception, String message, String stacktrace) {

        static Letter of(ConsumerRecord<byte[], byte[]> record) {
            return new Letter(record.partition(), record.offset(), record.timestamp(), text(record.key()),
                    record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()),
                    header(record, "__streams.errors.topic"), (int) number(record, "__streams.errors.partition"),
                    number(record, "__streams.errors.offset"), header(record, "__streams.errors.exception"),
                    header(record, "__streams.errors.message"), header(record, "__streams.errors.stacktrace"));
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : text(header.value());
        }

        private static long number(ConsumerRecord<byte[], byte[]> record, String name) {
            String value = header(record, name);
            try {
                return value == null ? -1 : Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static String text(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Registers one gauge per application; nothing connects until a listing or a scrape.
     *
     * @param consumerConfig consumer settings (bootstrap servers and any tuning, from {@code spring.kafka.consumer.*});
     *                       isolation, offsets, the group and the deserializers are set here
     * @param applications   the Streams applications' ids
     * @param registry       where the gauges go
     */
    public DeadLetters(Map<String, Object> consumerConfig, List<String> applications, MeterRegistry registry) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BROKER_TIMEOUT.toMillis());
        this.applications = List.copyOf(applications);
        for (String application : this.applications) {
            Gauge.builder("ordersaga.dead.letters", this, d -> d.count(application))
                    .tag("application", application)
                    .description("Committed records in the application's dead-letter topic (KIP-1034)")
                    .register(registry);
        }
    }

    /**
     * The newest dead letters of one application, newest first: the last {@code limit} offsets of each partition
     * read, then the newest {@code limit} of them by timestamp.
     *
     * @param application a Streams application's id
     * @param limit       1 to {@link #MAX_LIMIT}
     * @throws IllegalArgumentException for an unknown application or a limit out of range
     * @throws IllegalStateException    when the broker does not answer within {@link #BROKER_TIMEOUT}
     */
    public List<Letter> newest(String application, int limit) {
        if (!applications.contains(application)) {
            throw new IllegalArgumentException("application must be one of " + applications + ", not " + application);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, application);
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - limit));
            }
            List<Letter> letters = new ArrayList<>();
            readUpTo(consumer, ends, record -> letters.add(Letter.of(record)));
            letters.sort(Comparator.comparingLong(Letter::timestamp).thenComparingLong(Letter::offset).reversed());
            return List.copyOf(letters.subList(0, Math.min(limit, letters.size())));
        } catch (KafkaException e) {
            throw new IllegalStateException("the dead letters of " + application + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * The committed records each application's dead-letter topic holds: the records read since the last reading
     * added (read again at most once a {@link #COUNT_INTERVAL}); the last figures when the broker does not answer
     * (logged); an application is missing until its topic exists (each Streams service creates its own at start).
     */
    public synchronized Map<String, Long> counts() {
        if (System.nanoTime() - countedAtNanos >= COUNT_INTERVAL.toNanos() || counter == null) {
            try {
                countNew();
                countedAtNanos = System.nanoTime();
            } catch (KafkaException | IllegalStateException e) {
                log.info("Dead letters not counted: {}", e.getMessage());
            }
        }
        return new TreeMap<>(counts);
    }

    /** The gauge's figure: {@link #counts()}' for the application, NaN while it has none. */
    private double count(String application) {
        Long count = counts().get(application);
        return count == null ? Double.NaN : count;
    }

    private void countNew() {
        if (counter == null) {
            counter = consumer();
        }
        List<TopicPartition> added = new ArrayList<>();
        for (String application : applications) {
            if (!counts.containsKey(application)) {
                List<TopicPartition> partitions = partitions(counter, application);
                added.addAll(partitions);
                if (!partitions.isEmpty()) {
                    counts.put(application, 0L);
                }
            }
        }
        if (!added.isEmpty()) {
            added.forEach(p -> counted.put(p, 0L));
            counter.assign(List.copyOf(counted.keySet()));
            counter.seekToBeginning(added);
        }
        if (counted.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = counter.endOffsets(counted.keySet());
        readUpTo(counter, ends, record -> counted.merge(new TopicPartition(record.topic(), record.partition()), 1L, Long::sum));
        for (String application : counts.keySet()) {
            String topic = Topics.deadLetters(application);
            counts.put(application, counted.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(Map.Entry::getValue).sum());
        }
    }

    /** Polls until every partition's position reaches its end (the last stable offset: read_committed). */
    private static void readUpTo(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends,
                                 Consumer<ConsumerRecord<byte[], byte[]>> each) {
        long deadline = System.nanoTime() + BROKER_TIMEOUT.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dead-letter topics were not read to their end within " + BROKER_TIMEOUT);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(each);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String application) {
        String topic = Topics.deadLetters(application);
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        return infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Closes the gauges' consumer. */
    @Override
    public synchronized void close() {
        if (counter != null) {
            counter.close();
        }
    }
}
