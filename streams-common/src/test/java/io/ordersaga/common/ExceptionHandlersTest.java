package io.ordersaga.common;

import io.ordersaga.common.testing.FakeRegistry;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.Product;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

/**
 * The exception handlers {@link StreamsDefaults#properties} configures, fed the exceptions the real Apicurio
 * 3.1.7 deserializer throws (against {@link FakeRegistry}): a record is skipped and dead-lettered (KIP-1034
 * headers) only when its own bytes are at fault; a registry that is unreachable or failing fails the task.
 * On the global task (id -1_-1) a skipped record is counted and never dead-lettered.
 */
class ExceptionHandlersTest {

    private static final String TOPIC = "products";
    private static final int PRODUCT_SCHEMA = 1;
    private static final int OTHER_SCHEMA = 2;
    private static final TaskId TASK = new TaskId(0, 3);
    private static final TaskId GLOBAL_TASK = new TaskId(-1, -1);

    private final String applicationId = "handlers-test-" + UUID.randomUUID();
    private final FakeRegistry registry = FakeRegistry.start()
            .hold(PRODUCT_SCHEMA, Product.getClassSchema())
            .hold(OTHER_SCHEMA, OrderRequest.getClassSchema());
    private final StreamsConfig config = new StreamsConfig(StreamsDefaults.properties(applicationId, "unused:9092",
            "unused", null, 1, StreamsDefaults.COMMIT_INTERVAL_MS));

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void aValueWithoutTheMagicByteIsDeadLettered() {
        assertDeadLettered(TASK, new byte[] {1, 0, 0, 0, 1, 2, 3});
    }

    @Test
    void aValueTooShortForTheWireFormatIsDeadLettered() {
        assertDeadLettered(TASK, new byte[0]);
        assertDeadLettered(TASK, new byte[] {0, 0});
    }

    @Test
    void aSchemaIdTheRegistryAnswers404ForIsDeadLettered() {
        assertDeadLettered(TASK, FakeRegistry.confluent(4711, product()));
    }

    @Test
    void avroBytesThatDoNotDecodeAreDeadLettered() {
        byte[] whole = FakeRegistry.confluent(PRODUCT_SCHEMA, product());
        assertDeadLettered(TASK, Arrays.copyOf(whole, whole.length - 4));
    }

    @Test
    void validAvroOfASchemaTheTopicsTypeCannotReadIsDeadLettered() {
        OrderRequest other = OrderRequest.newBuilder().setOrderId("o-1").setRequestedAt(Instant.EPOCH)
                .setRequest(PlaceOrder.newBuilder().setCustomerId("c-1").setLines(List.of()).build()).build();
        assertDeadLettered(TASK, FakeRegistry.confluent(OTHER_SCHEMA, other));
    }

    @Test
    void aRegistryThatRefusesConnectionsFailsTheTask() {
        registry.close();
        assertFailsWithoutDeadLetter(FakeRegistry.confluent(PRODUCT_SCHEMA, product()));
    }

    @Test
    void aRegistryAnswering503FailsTheTask() {
        registry.answer503(true);
        assertFailsWithoutDeadLetter(FakeRegistry.confluent(PRODUCT_SCHEMA, product()));
    }

    @Test
    void aGoodRecordDeserializesOnceTheRegistryIsBack() {
        registry.answer503(true);
        byte[] value = FakeRegistry.confluent(PRODUCT_SCHEMA, product());
        assertThat(deserializationError(value)).isNotNull();
        registry.answer503(false);
        assertThat(deserializationError(value)).isNull();
    }

    @Test
    void aPoisonRecordOnTheGlobalTaskIsSkippedAndCountedWithoutADeadLetter() {
        byte[] value = {1, 2, 3, 4, 5, 6};
        Exception error = deserializationError(value);
        DeserializationExceptionHandler handler = config.deserializationExceptionHandler();

        DeserializationExceptionHandler.Response response = handler.handleError(context(GLOBAL_TASK, value), record(value), error);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(SkippedGlobalRecords.count(applicationId)).isEqualTo(1);
    }

    @Test
    void anInvalidRecordExceptionIsDeadLettered() {
        ProcessingExceptionHandler.Response response = processingError(TASK, new InvalidRecordException("p-1: unknown command"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertDeadLetterRecord(response.deadLetterQueueRecords(), FakeRegistry.confluent(PRODUCT_SCHEMA, product()),
                InvalidRecordException.class);
    }

    @Test
    void anyOtherProcessingErrorFailsTheTask() {
        for (Exception error : List.<Exception>of(new IllegalStateException("store closed"), new RuntimeException(
                new java.net.ConnectException("Connection refused")))) {
            ProcessingExceptionHandler.Response response = processingError(TASK, error);

            assertThat(response.result()).as(error.toString()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
            assertThat(response.deadLetterQueueRecords()).isEmpty();
        }
    }

    @Test
    void anInvalidRecordOnTheGlobalTaskIsSkippedAndCountedWithoutADeadLetter() {
        ProcessingExceptionHandler.Response response = processingError(GLOBAL_TASK, new InvalidRecordException("p-1: bad"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(SkippedGlobalRecords.count(applicationId)).isEqualTo(1);
    }

    /** The processing handler's answer to {@code error}, thrown by {@code task} for the record of product p-1. */
    private ProcessingExceptionHandler.Response processingError(TaskId task, Exception error) {
        return config.processingExceptionHandler().handleError(context(task, FakeRegistry.confluent(PRODUCT_SCHEMA, product())),
                new Record<>("p-1", product(), 0L), error);
    }

    private void assertDeadLettered(TaskId task, byte[] value) {
        Exception error = deserializationError(value);
        assertThat(error).as("the serde rejects the record").isNotNull();

        DeserializationExceptionHandler.Response response = config.deserializationExceptionHandler()
                .handleError(context(task, value), record(value), error);

        assertThat(response.result()).as(error.toString()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertDeadLetterRecord(response.deadLetterQueueRecords(), value, error.getClass());
    }

    private void assertFailsWithoutDeadLetter(byte[] value) {
        Exception error = deserializationError(value);
        assertThat(error).as("the serde cannot reach the registry").isNotNull();

        DeserializationExceptionHandler.Response response = config.deserializationExceptionHandler()
                .handleError(context(TASK, value), record(value), error);

        assertThat(response.result()).as(error.toString()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private void assertDeadLetterRecord(List<ProducerRecord<byte[], byte[]>> records, byte[] value,
                                        Class<? extends Exception> errorType) {
        assertThat(records).hasSize(1);
        ProducerRecord<byte[], byte[]> dead = records.getFirst();
        assertThat(dead.topic()).isEqualTo(Topics.deadLetters(applicationId));
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead.headers(), ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME)).isEqualTo(errorType.getName());
        assertThat(header(dead.headers(), ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME)).isEqualTo(TOPIC);
        assertThat(header(dead.headers(), ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME)).isEqualTo("3");
        assertThat(header(dead.headers(), ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME)).isEqualTo("42");
    }

    private Exception deserializationError(byte[] value) {
        try (Deserializer<Product> deserializer = EventSerdes.registry(registry.url()).forValue(Product.class).deserializer()) {
            return catchException(() -> deserializer.deserialize(TOPIC, new RecordHeaders(), value));
        }
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Product product() {
        return Product.newBuilder().setProductId("p-1").setName("Mug").setUnitPrice(295).setUpdatedAt(Instant.EPOCH).build();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(TOPIC, 3, 42, "p-1".getBytes(StandardCharsets.UTF_8), value);
    }

    private static ErrorHandlerContext context(TaskId task, byte[] value) {
        byte[] key = "p-1".getBytes(StandardCharsets.UTF_8);
        return new ErrorHandlerContext() {
            @Override public String topic() { return TOPIC; }
            @Override public int partition() { return 3; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "products-source"; }
            @Override public TaskId taskId() { return task; }
            @Override public long timestamp() { return 0; }
            @Override public byte[] sourceRawKey() { return key; }
            @Override public byte[] sourceRawValue() { return value; }
        };
    }
}
