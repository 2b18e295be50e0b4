package io.ordersaga.common;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Poison records of a global store's topic (the saga's {@code products}) that the exception handlers skipped,
 * counted per application.id for this JVM.
 *
 * <p>Why they are skipped without a dead-letter record: Kafka Streams 4.2.1 sends a handler's dead-letter records
 * through the task's record collector, which it reaches by casting the processor context to
 * {@code RecordCollector.Supplier} ({@code RecordDeserializer.handleDeserializationFailure},
 * {@code ProcessorNode.process}). The global thread's context ({@code GlobalProcessorContextImpl}, task id
 * {@code -1_-1}) is not one: the cast throws ClassCastException and the global thread, which Kafka Streams
 * cannot replace, takes the client to ERROR (KAFKA-19939). So on the global task the handlers resume with no
 * dead-letter record, log the record's coordinates, and count it here.
 */
public final class SkippedGlobalRecords {

    private static final Logger log = LoggerFactory.getLogger(SkippedGlobalRecords.class);
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private SkippedGlobalRecords() {
    }

    /**
     * True when the record in error is being read by the global thread: Kafka Streams 4.2.1 gives its processor
     * context the task id {@code -1_-1}, a subtopology no stream task has.
     */
    static boolean isGlobal(ErrorHandlerContext context) {
        TaskId task = context.taskId();
        return task != null && task.subtopology() < 0;
    }

    /** Logs the skipped record (topic, partition, offset, the error) and counts it for {@code applicationId}. */
    static void skip(String applicationId, ErrorHandlerContext context, Exception error) {
        long total = COUNTS.computeIfAbsent(applicationId, id -> new AtomicLong()).incrementAndGet();
        log.warn("Skipping a poison record of global topic {} partition {} offset {} without a dead-letter record"
                        + " (Kafka Streams cannot dead-letter from the global thread); {} skipped so far by {}: {}",
                context.topic(), context.partition(), context.offset(), total, applicationId, error.toString());
    }

    /**
     * How many global-topic records the handlers of {@code applicationId} skipped in this JVM since it started.
     *
     * @param applicationId the Streams application.id
     */
    public static long count(String applicationId) {
        AtomicLong count = COUNTS.get(applicationId);
        return count == null ? 0 : count.get();
    }
}
