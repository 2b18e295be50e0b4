package io.ordersaga.common;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The processing exception handler of every service ({@link StreamsDefaults}): skips a record only for an
 * {@link InvalidRecordException}, which a processor throws for a record that is itself unusable before it writes any
 * store. Kafka's {@link LogAndContinueProcessingExceptionHandler} logs it and builds the KIP-1034 dead-letter record
 * for the application's dead-letter topic ({@link Topics#deadLetters}); on a global store's topic it is skipped
 * without one and counted ({@link SkippedGlobalRecords}).
 *
 * <p>Every other exception (a store, serde or registry failure, a bug) answers FAIL with no dead-letter record:
 * the stream thread dies, exactly-once aborts its transaction (so no half of a record's store writes commits), and
 * the record is processed again by the replacement thread ({@link StreamThreadRecovery}).
 */
public class InvalidRecordProcessingHandler extends LogAndContinueProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(InvalidRecordProcessingHandler.class);

    private String applicationId;

    /** Reads the dead-letter topic ({@code errors.dead.letter.queue.topic.name}) and {@code application.id}. */
    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    /**
     * RESUME with the dead-letter record for an {@link InvalidRecordException} (RESUME with none on the global task);
     * FAIL with none for anything else.
     */
    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!(exception instanceof InvalidRecordException)) {
            log.error("Processing the record of {} partition {} offset {} in {} failed: failing the task, so that its"
                            + " transaction aborts and the record is processed again after recovery",
                    context.topic(), context.partition(), context.offset(), context.processorNodeId(), exception);
            return Response.fail();
        }
        if (SkippedGlobalRecords.isGlobal(context)) {
            SkippedGlobalRecords.skip(applicationId, context, exception);
            return Response.resume();
        }
        return super.handleError(context, record, exception);
    }
}
