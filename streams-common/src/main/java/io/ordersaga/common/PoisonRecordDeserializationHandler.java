package io.ordersaga.common;

import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.apicurio.registry.serde.avro.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * The deserialization exception handler of every service ({@link StreamsDefaults}): skips a record only when its own
 * bytes are at fault, and fails the task for anything else.
 *
 * <p>A record is at fault, for values in the Confluent wire format that {@link EventSerdes#registry} reads (magic byte
 * 0, 4-byte schema id, Avro binary), when
 * <ul>
 *   <li>the value is shorter than the 5-byte header or does not start with the magic byte 0;</li>
 *   <li>the registry answered 404 with its problem document ({@link ProblemDetails}) for the schema id: no such schema;</li>
 *   <li>the Avro bytes failed to decode against the schema they name (the exception came out of Apicurio's
 *       {@code AvroDeserializer.readData}, which runs only once the schema is resolved), or</li>
 *   <li>they name a schema of another type than the topic's ({@link EventSerdes.WrongTypeException}).</li>
 * </ul>
 * Such a record is logged and sent to the application's dead-letter topic ({@link Topics#deadLetters}) by Kafka's
 * {@link LogAndContinueExceptionHandler}, with the KIP-1034 headers ({@code __streams.errors.exception}, message,
 * stack trace, topic, partition, offset), and processing goes on. On a global store's topic it is skipped without a
 * dead-letter record and counted ({@link SkippedGlobalRecords}).
 *
 * <p>Anything else is taken as the infrastructure failing, never the record: the registry unreachable (Apicurio
 * 3.1.7 throws a RuntimeException around the Netty connect error), answering 5xx or any non-404 status, a timeout.
 * The handler logs it and answers FAIL with no dead-letter record: the stream thread dies, exactly-once aborts
 * its transaction, the offset is not committed, and the record is read again by the replacement thread
 * ({@link StreamThreadRecovery}) until the registry answers.
 */
public class PoisonRecordDeserializationHandler extends LogAndContinueExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecordDeserializationHandler.class);

    /** Bytes before the Avro body in the Confluent wire format: the magic byte and a 4-byte schema id. */
    private static final int WIRE_HEADER_BYTES = 5;
    private static final byte MAGIC_BYTE = 0;

    private String applicationId;

    /** Reads the dead-letter topic ({@code errors.dead.letter.queue.topic.name}) and {@code application.id}. */
    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    /**
     * RESUME with the KIP-1034 dead-letter record when the record's bytes are at fault (RESUME with none on the
     * global task); FAIL with none otherwise.
     */
    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Optional<String> fault = recordFault(record.value(), exception);
        if (fault.isEmpty()) {
            log.error("Cannot deserialize the record of {} partition {} offset {}, and its bytes are not at fault: failing"
                            + " the task, so that its transaction aborts and the record is read again after recovery",
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        if (SkippedGlobalRecords.isGlobal(context)) {
            SkippedGlobalRecords.skip(applicationId, context, exception);
            return Response.resume();
        }
        log.warn("Poison record of {} partition {} offset {}: {}", context.topic(), context.partition(), context.offset(),
                fault.get());
        return super.handleError(context, record, exception);
    }

    /** What is wrong with the record's own bytes, or empty when the failure is not theirs. */
    static Optional<String> recordFault(byte[] value, Exception exception) {
        if (value == null || value.length < WIRE_HEADER_BYTES) {
            return Optional.of("a value of " + (value == null ? 0 : value.length) + " bytes has no room for the"
                    + " wire format's " + WIRE_HEADER_BYTES + "-byte header");
        }
        if (value[0] != MAGIC_BYTE) {
            return Optional.of("the value starts with byte " + value[0] + ", not the magic byte 0");
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProblemDetails problem && problem.getResponseStatusCode() == 404) {
                return Optional.of("the registry has no schema with the record's id (404)");
            }
            if (cause instanceof EventSerdes.WrongTypeException wrongType) {
                return Optional.of(wrongType.getMessage());
            }
            if (!(cause instanceof SecurityException) && thrownDecoding(cause)) {
                return Optional.of("the Avro bytes do not decode against their schema: " + cause);
            }
        }
        return Optional.empty();
    }

    private static boolean thrownDecoding(Throwable cause) {
        for (StackTraceElement frame : cause.getStackTrace()) {
            if (frame.getClassName().equals(AvroDeserializer.class.getName()) && frame.getMethodName().equals("readData")) {
                return true;
            }
        }
        return false;
    }
}
