package io.ordersaga.common;

import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;

/**
 * The Kafka Streams settings every OrderSaga service runs with.
 *
 * <ul>
 *   <li>{@code processing.guarantee=exactly_once_v2}: a record's state changes and output commit in one
 *       transaction, which is what lets one task per key replace a lock.</li>
 *   <li>{@code commit.interval.ms} ({@link #COMMIT_INTERVAL_MS}): the latency/throughput dial; a
 *       transaction commit costs about 6 ms of broker work on the reference machine.</li>
 *   <li>{@code max.task.idle.ms=-1}: a task with several input partitions (the saga merges three topics)
 *       processes whatever has arrived instead of waiting to synchronise timestamps across them; the saga's
 *       transitions depend on arrival order only, never on event time.</li>
 *   <li>Errors: a record whose own bytes cannot be read ({@link PoisonRecordDeserializationHandler}) or that a
 *       processor rejects with {@link InvalidRecordException} ({@link InvalidRecordProcessingHandler}) is logged and
 *       sent to the application's dead-letter topic ({@link Topics#deadLetters}, KIP-1034), and processing goes on;
 *       on a global store's topic it is skipped and counted instead ({@link SkippedGlobalRecords}). Every other
 *       error (registry unreachable, store failure) fails the stream thread: exactly-once aborts its transaction,
 *       and the thread is replaced after a back-off ({@link StreamThreadRecovery}, set on the client by
 *       {@code StreamsServiceConfiguration}), so the record is retried, never skipped.</li>
 * </ul>
 */
public final class StreamsDefaults {

    /**
     * Longest a stream thread blocks in poll when no record arrives, in ms (Kafka's default: 100). A
     * transaction commits only when its thread comes back from poll, so on a lightly loaded hop this, not
     * the commit interval, bounds the hop's latency; a short poll costs an idle thread a few wake-ups.
     */
    public static final long POLL_MS = 10;

    /**
     * OrderSaga's default commit interval, in ms (Kafka's default under exactly-once is 100). A consumer
     * reading committed data sees a record only when its transaction commits, so each of an order's hops waits
     * about one interval. Why 25 and what was measured: docs/decisions/0001-commit-interval-25-ms.md. Set per
     * service with {@code ordersaga.commit-interval-ms}.
     */
    public static final long COMMIT_INTERVAL_MS = 25;

    private StreamsDefaults() {
    }

    /**
     * Streams properties for one service instance.
     *
     * @param applicationId     the Streams application.id, also the consumer group and the prefix of internal topics
     * @param bootstrapServers  Kafka bootstrap servers, {@code host:port[,host:port]}
     * @param stateDir          directory of the RocksDB stores; one per instance
     * @param applicationServer {@code host:port} of this instance's HTTP server, for interactive-query routing;
     *                          null when the service serves no queries
     * @param replicationFactor replicas of internal topics (changelogs, repartition topics)
     * @param commitIntervalMs  transaction commit interval in ms
     */
    public static Properties properties(String applicationId, String bootstrapServers, String stateDir,
                                        String applicationServer, int replicationFactor, long commitIntervalMs) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(StreamsConfig.POLL_MS_CONFIG, Math.min(POLL_MS, commitIntervalMs));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecordDeserializationHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, InvalidRecordProcessingHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.deadLetters(applicationId));
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        return p;
    }
}
